#include "util/table.h"

#include <catch2/catch.hpp>

using rs::Table;

namespace {

Table example_table() {
  Table table;
  table.title = "Runs_1";
  table.headers = {"name", "acc %"};
  table.rows = {{"a|b", "93.10"}, {"long name", "7.00"}};
  table.footnotes = {"acc: final test accuracy"};
  table.align = "lr";
  return table;
}

}  // namespace

TEST_CASE("markdown table escapes pipes and aligns by column", "[table]") {
  CHECK(to_markdown(example_table()) ==
        "## Runs_1\n"
        "\n"
        "| name | acc % |\n"
        "| :-- | --: |\n"
        "| a\\|b | 93.10 |\n"
        "| long name | 7.00 |\n"
        "\n"
        "- acc: final test accuracy\n");
}

TEST_CASE("CSV follows RFC 4180 quoting and line ends", "[table]") {
  Table table;
  table.headers = {"plain", "comma", "quote", "newline"};
  table.rows = {{"x", "a,b", "say \"hi\"", "two\nlines"}};
  table.footnotes = {"not in CSV"};
  CHECK(to_csv(table) ==
        "plain,comma,quote,newline\r\n"
        "x,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST_CASE("LaTeX table uses booktabs and escapes special characters", "[table]") {
  CHECK(to_latex(example_table()) ==
        "\\begin{table}[htbp]\n"
        "\\centering\n"
        "\\caption{Runs\\_1}\n"
        "\\begin{tabular}{lr}\n"
        "\\toprule\n"
        "name & acc \\% \\\\\n"
        "\\midrule\n"
        "a|b & 93.10 \\\\\n"
        "long name & 7.00 \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\\par\\smallskip\\footnotesize\n"
        "acc: final test accuracy\\par\n"
        "\\end{table}\n");
  Table specials;
  specials.headers = {"x"};
  specials.rows = {{"\\ ~ ^ & % $ # _ { }"}};
  CHECK(to_latex(specials).find("\\textbackslash{} \\textasciitilde{} \\textasciicircum{} \\& "
                                "\\% \\$ \\# \\_ \\{ \\}") != std::string::npos);
}

TEST_CASE("terminal table pads columns to the widest cell", "[table]") {
  CHECK(to_terminal(example_table()) ==
        "Runs_1\n"
        "\n"
        "name       acc %\n"
        "---------  -----\n"
        "a|b        93.10\n"
        "long name   7.00\n"
        "\n"
        "acc: final test accuracy\n");
}

TEST_CASE("terminal width counts UTF-8 characters, not bytes", "[table]") {
  Table table;
  table.headers = {"Δ", "x"};
  table.rows = {{"ab", "1"}};
  CHECK(to_terminal(table) == "\n\nΔ   x\n--  -\nab  1\n");
}

TEST_CASE("HTML table escapes text and marks right-aligned cells", "[table]") {
  Table table = example_table();
  table.rows[0][0] = "<a & b>";
  CHECK(to_html(table) ==
        "<table>\n"
        "<caption>Runs_1</caption>\n"
        "<thead><tr><th>name</th><th class=\"r\">acc %</th></tr></thead>\n"
        "<tbody>\n"
        "<tr><td>&lt;a &amp; b&gt;</td><td class=\"r\">93.10</td></tr>\n"
        "<tr><td>long name</td><td class=\"r\">7.00</td></tr>\n"
        "</tbody>\n"
        "</table>\n"
        "<ul class=\"footnotes\">\n"
        "<li>acc: final test accuracy</li>\n"
        "</ul>\n");
}
