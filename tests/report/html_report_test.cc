#include "report/html_report.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/result_tables.h"

using rs::report::GroupStats;
using rs::report::html_report;
using rs::report::SweepSummary;

namespace {

// One group whose parameters, as a user's grid may, hold markup.
SweepSummary summary_with_markup() {
  SweepSummary summary;
  summary.sweep_name = "s&p <500>";
  summary.runs_read = 2;
  GroupStats group;
  group.group_id = "g1";
  group.params = {{"dataset", "<script>alert('x')</script>"}, {"note", "a \"b\" & c"}};
  group.nd_run_ids = {"r1", "r2"};
  group.nd_accuracies = {0.5, 0.6};
  group.nd_values = {0.5, 0.6};
  group.energy.runs = 2;
  group.energy.gpu_j = 0.25 * 3.6e6;
  summary.groups.push_back(group);
  summary.site = {{1.2, "--pue"}, {0.5, "site <file>: carbon_intensity"}};
  summary.skipped.push_back({"runs/<bad>.h5", "not an HDF5 file"});
  return summary;
}

}  // namespace

TEST_CASE("the HTML report escapes every text from the sweep", "[html_report]") {
  std::string page = html_report(summary_with_markup());
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("<title>s&amp;p &lt;500&gt;: ReproSweep results</title>") != std::string::npos);
  CHECK(page.find("<bad>") == std::string::npos);
  CHECK(page.find("runs/&lt;bad&gt;.h5") != std::string::npos);
}

TEST_CASE("the HTML report is self-contained", "[html_report]") {
  std::string page = html_report(summary_with_markup());
  CHECK(page.find("<style>") != std::string::npos);
  // Nothing is fetched: no src attribute, no link to another file, no URL but SVG's namespace.
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  size_t urls = 0, namespaces = 0;
  for (size_t at = page.find("http"); at != std::string::npos; at = page.find("http", at + 1)) {
    ++urls;
    if (page.compare(at, 26, "http://www.w3.org/2000/svg") == 0) ++namespaces;
  }
  CHECK(urls == namespaces);
  CHECK(page.find("<article class=\"group\" id=\"group-1\">") != std::string::npos);
  CHECK(page.find("0.250 kWh measured in all, 0.150 kg CO2") != std::string::npos);
  CHECK(page.find("<li>PUE 1.2; source: --pue</li>") != std::string::npos);
  CHECK(page.find("source: site &lt;file&gt;: carbon_intensity") != std::string::npos);
}

TEST_CASE("the HTML report of a sweep without runs says so", "[html_report]") {
  SweepSummary empty;
  empty.sweep_name = "new";
  std::string page = html_report(empty);
  CHECK(page.find("No complete runs to report yet.") != std::string::npos);
  CHECK(page.find("<svg") == std::string::npos);
  CHECK(page.rfind("</html>\n") == page.size() - 8);
}

namespace {

// Two groups that differ in optimizer, seed and noise; both ran on the CPU, ND equal to D in
// the first. `params` without mode, replica and seeds, as the collector keeps them.
SweepSummary two_cpu_groups() {
  SweepSummary summary;
  summary.sweep_name = "cpu";
  summary.site = {{1.0, "default"}, {0.475, "default"}};
  for (int g = 0; g < 2; ++g) {
    GroupStats group;
    group.group_id = g == 0 ? "0000000000000001" : "0000000000000002";
    group.params = {{"dataset", "digits"}, {"optimizer", g == 0 ? "adam" : "sgd"}, {"seed", g},
                    {"noise", g == 0 ? nlohmann::json::array() : nlohmann::json({"init"})}};
    group.nd_run_ids = {"a", "b"};
    group.nd_values = group.nd_accuracies = {0.9, g == 0 ? 0.9 : 0.8};
    group.d_run_ids = {"c"};
    group.d_values = group.d_accuracies = {0.9};
    group.nd_vs_d.n_nd = 2;
    group.nd_vs_d.n_d = 1;
    group.nd_vs_d.d_value = 0.9;
    group.nd_vs_d.overhead_train = 1.5;
    group.nd_vs_d.overhead_reliable = false;
    group.cpu_only = true;
    group.devices = {{"Some CPU", false, 3}};
    group.energy.runs = 3;
    group.energy.methods["none"] = {3, 0};
    summary.groups.push_back(group);
  }
  return summary;
}

}  // namespace

TEST_CASE("groups are named by the parameters that differ between them", "[html_report]") {
  CHECK(rs::report::group_labels(two_cpu_groups()) ==
        std::vector<std::string>{"adam · noise [] · seed 0", "sgd · noise [init] · seed 1"});
  std::string page = html_report(two_cpu_groups());
  CHECK(page.find("<h3>#2 sgd · noise [init] · seed 1</h3>") != std::string::npos);
  CHECK(page.find("<summary>group 0000000000000002 and its parameters</summary>") !=
        std::string::npos);
  CHECK(page.find("#1 adam · noise [] · seed 0 (too short)") != std::string::npos);
}

TEST_CASE("the HTML report says what a CPU sweep and an empty energy section mean",
          "[html_report]") {
  SweepSummary summary = two_cpu_groups();
  std::string page = html_report(summary);
  // Group 1's ND runs equal D on the CPU; group 2's do not.
  CHECK(rs::report::cpu_note(summary).rfind("Group #1 ran on the CPU", 0) == 0);
  CHECK(page.find("<p class=\"note\">Group #1 ran on the CPU") != std::string::npos);
  CHECK(page.find("<section id=\"glance\">") < page.find("<section id=\"nd-vs-d\">"));
  CHECK(page.find("No energy was measured: all 6 runs are listed under method") !=
        std::string::npos);
  CHECK(page.find("too short\" train for less than 10 s") != std::string::npos);
  summary.groups[0].cpu_only = false;
  CHECK(rs::report::cpu_note(summary).empty());
}
