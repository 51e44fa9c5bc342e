// A plain table of strings, and the five ways the tools print one (`sweep collect`'s results,
// `sweep energy`, `sweep preflight`).
//
// Cells are final text: whoever builds a table formats the numbers (and writes "-" for a value
// that is not defined, with a footnote saying why).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rs {

struct Table {
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each row has headers.size() cells
  std::vector<std::string> footnotes;
  std::string align;  // 'l' or 'r' per column, as in LaTeX; columns past its end are 'l'
  // How many leading columns name the row's group (#, group_id, the parameters that differ);
  // the HTML report shows them as one "#" and one "group" column.
  size_t group_columns = 0;
};

// GitHub-flavoured Markdown: "## title", a pipe table ('|' in cells escaped), footnotes as a list.
std::string to_markdown(const Table& table);

// RFC 4180: header line and rows only, CRLF line ends, a field quoted (quotes doubled) when it
// holds a comma, quote, CR or LF. Title and footnotes are not part of CSV; the .md has them.
std::string to_csv(const Table& table);

// A LaTeX table float with booktabs rules (\usepackage{booktabs}); all text escaped, footnotes
// in \footnotesize below the tabular.
std::string to_latex(const Table& table);

// An HTML <table> with the title as its caption, then the footnotes as a list; every text
// escaped. Right-aligned columns get class "r" (the report's style sheet aligns them).
std::string to_html(const Table& table);

// Plain text for a terminal: columns padded to their widest cell (counted in UTF-8 characters),
// a dashed line under the header, footnotes below, wrapped at kTerminalWidth columns.
inline constexpr size_t kTerminalWidth = 100;
std::string to_terminal(const Table& table);

}  // namespace rs
