#include <catch2/catch.hpp>

#include "report/plot_accuracy.h"
#include "report/plot_bars.h"
#include "report/plot_cosine.h"
#include "report/plot_heatmap.h"

using rs::report::accuracy_plot;
using rs::report::bar_chart;
using rs::report::BarChart;
using rs::report::cosine_plot;
using rs::report::GroupStats;
using rs::report::heat_map;
using rs::report::heat_step;
using rs::report::HeatMap;
using rs::report::Stability;

namespace {

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("accuracy plot: a point per run, boxes and the D value", "[plots]") {
  GroupStats group;
  group.nd_run_ids = {"n1", "n2", "n3"};
  group.nd_values = {0.90, 0.85, 0.95};
  group.d_run_ids = {"d1"};
  group.d_values = {0.875};
  group.nd_vs_d.d_value = 0.875;
  std::string svg = accuracy_plot(group, "#1 accuracy", "macro F1");
  CHECK(count(svg, "<circle class=\"nd-point\"") == 3);
  CHECK(count(svg, "<circle class=\"d-point\"") == 1);
  CHECK(count(svg, "<rect class=\"box\"") == 1);  // the D row has one run: no box
  CHECK(svg.find("<title>ND run n3: 95.00 %</title>") != std::string::npos);
  CHECK(svg.find("<line class=\"d-line\"") != std::string::npos);
  CHECK(svg.find(">D = 87.50 %</text>") != std::string::npos);
  CHECK(svg.find("final test macro F1 (%)") != std::string::npos);
}

TEST_CASE("cosine plot: band and mean over the defined epochs", "[plots]") {
  Stability stability;
  stability.cosine_last_layer = {{0, 1.0, 0.9, 0.95}, {1, std::nullopt, std::nullopt, std::nullopt},
                                 {2, 0.8, 0.5, 0.6}};
  std::string svg = cosine_plot(stability, "#1 cosine");
  CHECK(count(svg, "<polygon class=\"band\"") == 1);
  CHECK(count(svg, "<circle class=\"mean-point\"") == 2);
  CHECK(svg.find("epoch 2: mean 0.600000, min 0.500000, max 0.800000") != std::string::npos);
  CHECK(cosine_plot(Stability{}, "none").empty());
}

TEST_CASE("bar chart: a bar per defined value, a dash for a missing one", "[plots]") {
  BarChart chart;
  chart.title = "overhead";
  chart.labels = {"#1", "#2"};
  chart.tooltips = {"group a", "group b"};
  chart.series = {{"train", "bar-train", {1.2, std::nullopt}}};
  chart.reference = 1.0;
  std::string svg = bar_chart(chart);
  CHECK(count(svg, "<rect class=\"bar-train\"") == 2);  // the legend's and #1's
  CHECK(svg.find("<title>group a: train: 1.2</title>") != std::string::npos);
  CHECK(svg.find(">-</text>") != std::string::npos);
  CHECK(svg.find("<line class=\"ref-line\"") != std::string::npos);
}

TEST_CASE("heat-map: a cell per row and column, coloured by its value, empty cells marked", "[plots]") {
  // Nine steps up to the largest |value|: -largest is step 0, 0 step 4, +largest step 8.
  CHECK(heat_step(-2.0, 2.0) == 0);
  CHECK(heat_step(0.0, 2.0) == 4);
  CHECK(heat_step(0.6, 2.0) == 5);  // 4 * 0.3 = 1.2, rounded
  CHECK(heat_step(2.0, 2.0) == 8);
  CHECK(heat_step(1.0, 0.0) == 4);  // every value 0: all white

  HeatMap map;
  map.title = "mean accuracy";
  map.legend = "colour: distance";
  map.columns = {"debian", "wheel"};
  map.row_labels = {"#1 sgd", "#2 adam"};
  map.row_tooltips = {"group 1", "group 2"};
  map.values = {{-0.5, 0.5}, {2.0, std::nullopt}};
  map.texts = {{"83.33 (3)", "85.00 (3)"}, {"95.00 (1)", ""}};
  const std::string svg = heat_map(map);
  CHECK(count(svg, "<rect class=\"heat-") == 4);
  CHECK(count(svg, "<rect class=\"heat-none\"") == 1);
  CHECK(svg.find("<rect class=\"heat-8\"") != std::string::npos);  // the largest, 2.0
  CHECK(svg.find("<rect class=\"heat-3\"") != std::string::npos);  // -0.5 of 2: one step below
  CHECK(svg.find("<title>group 1 | wheel: 85.00 (3)</title>") != std::string::npos);
  CHECK(svg.find(">83.33 (3)</text>") != std::string::npos);
  CHECK(svg.find(">debian<title>debian</title></text>") != std::string::npos);  // column label
  CHECK(svg.find(">colour: distance</text>") != std::string::npos);
  CHECK(svg.find("<text class=\"cell-text on-dark\"") != std::string::npos);  // on heat-8
}
