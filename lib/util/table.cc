#include "util/table.h"

#include <algorithm>

#include "util/html_escape.h"
#include "util/text.h"

namespace rs {

namespace {

char column_align(const Table& table, size_t column) {
  return column < table.align.size() ? table.align[column] : 'l';
}

// Number of UTF-8 characters: every byte except continuation bytes (10xxxxxx) starts one.
size_t display_width(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string pad(const std::string& text, size_t width, char align) {
  std::string padding(width - std::min(width, display_width(text)), ' ');
  return align == 'r' ? padding + text : text + padding;
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string latex_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string join_latex_row(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += " & ";
    line += latex_escape(cells[i]);
  }
  return line + " \\\\\n";
}

}  // namespace

std::string to_markdown(const Table& table) {
  std::string out = "## " + table.title + "\n\n|";
  for (const auto& header : table.headers) out += " " + markdown_cell(header) + " |";
  out += "\n|";
  for (size_t c = 0; c < table.headers.size(); ++c) {
    out += column_align(table, c) == 'r' ? " --: |" : " :-- |";
  }
  out += "\n";
  for (const auto& row : table.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + markdown_cell(cell) + " |";
    out += "\n";
  }
  if (!table.footnotes.empty()) out += "\n";
  for (const auto& note : table.footnotes) out += "- " + note + "\n";
  return out;
}

std::string to_csv(const Table& table) {
  std::string out;
  auto add_line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ",";
      out += csv_field(cells[i]);
    }
    out += "\r\n";
  };
  add_line(table.headers);
  for (const auto& row : table.rows) add_line(row);
  return out;
}

std::string to_latex(const Table& table) {
  std::string columns;
  for (size_t c = 0; c < table.headers.size(); ++c) columns += column_align(table, c);
  std::string out = "\\begin{table}[htbp]\n\\centering\n";
  out += "\\caption{" + latex_escape(table.title) + "}\n";
  out += "\\begin{tabular}{" + columns + "}\n\\toprule\n";
  out += join_latex_row(table.headers);
  out += "\\midrule\n";
  for (const auto& row : table.rows) out += join_latex_row(row);
  out += "\\bottomrule\n\\end{tabular}\n";
  if (!table.footnotes.empty()) out += "\\par\\smallskip\\footnotesize\n";
  for (const auto& note : table.footnotes) out += latex_escape(note) + "\\par\n";
  out += "\\end{table}\n";
  return out;
}

std::string to_html(const Table& table) {
  auto cell = [&](const std::string& tag, size_t column, const std::string& text) {
    std::string attributes = column_align(table, column) == 'r' ? " class=\"r\"" : "";
    return "<" + tag + attributes + ">" + escape_html(text) + "</" + tag + ">";
  };
  std::string out = "<table>\n<caption>" + escape_html(table.title) + "</caption>\n<thead><tr>";
  for (size_t c = 0; c < table.headers.size(); ++c) out += cell("th", c, table.headers[c]);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) out += cell("td", c, row[c]);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (table.footnotes.empty()) return out;
  out += "<ul class=\"footnotes\">\n";
  for (const auto& note : table.footnotes) out += "<li>" + escape_html(note) + "</li>\n";
  return out + "</ul>\n";
}

std::string to_terminal(const Table& table) {
  std::vector<size_t> widths(table.headers.size(), 0);
  auto widen = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(cells[c]));
    }
  };
  widen(table.headers);
  for (const auto& row : table.rows) widen(row);

  auto format_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
      if (c > 0) line += "  ";
      line += pad(cells[c], widths[c], column_align(table, c));
    }
    // Left-aligned last columns leave trailing blanks; a terminal does not need them.
    line.erase(line.find_last_not_of(' ') + 1);
    return line + "\n";
  };

  std::string out = table.title + "\n\n";
  out += format_line(table.headers);
  std::vector<std::string> rules;
  for (size_t width : widths) rules.push_back(std::string(width, '-'));
  out += format_line(rules);
  for (const auto& row : table.rows) out += format_line(row);
  if (!table.footnotes.empty()) out += "\n";
  for (const auto& note : table.footnotes) out += wrap_text(note, kTerminalWidth);
  return out;
}

}  // namespace rs
