#include "report/svg.h"

#include <catch2/catch.hpp>

using rs::report::add_circle;
using rs::report::add_text;
using rs::report::add_x_axis;
using rs::report::nice_ticks;
using rs::report::Scale;
using rs::report::Svg;
using rs::report::to_svg;

TEST_CASE("a scale maps its data range onto its pixel range", "[svg]") {
  Scale x{10, 20, 100, 300};
  CHECK(x(10) == 100);
  CHECK(x(15) == 200);
  CHECK(x(25) == 400);
  Scale y{0, 1, 200, 0};  // flipped, as for a y axis
  CHECK(y(0.25) == 150);
  CHECK(Scale{5, 5, 0, 100}(5) == 50);
}

TEST_CASE("ticks are round values inside the range", "[svg]") {
  CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(-1, 1, 4) == std::vector<double>{-1, -0.5, 0, 0.5, 1});
  CHECK(nice_ticks(3, 3, 5) == std::vector<double>{3});
  // A step of 0.14 / 5 = 0.028 rounds up to 0.05.
  std::vector<double> ticks = nice_ticks(0.83, 0.97, 5);
  REQUIRE(ticks.size() == 3);
  CHECK(ticks[0] == Approx(0.85).epsilon(1e-12));
  CHECK(ticks[2] == Approx(0.95).epsilon(1e-12));
}

TEST_CASE("svg text and tooltips are escaped", "[svg]") {
  Svg svg;
  svg.width = 100;
  svg.height = 50;
  add_text(&svg, {1, 2}, "a<b & \"c\"", "label");
  add_circle(&svg, {3, 4}, 2, "point", "run <x>");
  std::string image = to_svg(svg, "plot 'one'");
  CHECK(image.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100.0\" height=\"50.0\"", 0) ==
        0);
  CHECK(image.find("<title>plot &#39;one&#39;</title>") != std::string::npos);
  CHECK(image.find("<text class=\"label\" x=\"1.0\" y=\"2.0\" text-anchor=\"start\">"
                   "a&lt;b &amp; &quot;c&quot;</text>") != std::string::npos);
  CHECK(image.find("<circle class=\"point\" cx=\"3.0\" cy=\"4.0\" r=\"2.0\"><title>run "
                   "&lt;x&gt;</title></circle>") != std::string::npos);
  CHECK(image.find("<x>") == std::string::npos);
}

TEST_CASE("axis labels have the decimals their step needs", "[svg]") {
  Svg svg;
  add_x_axis(&svg, Scale{0.8, 0.9, 0, 100}, 50, {0.8, 0.85, 0.9}, "accuracy");
  CHECK(svg.body.find(">0.85</text>") != std::string::npos);
  CHECK(svg.body.find(">0.80</text>") != std::string::npos);
  CHECK(svg.body.find(">accuracy</text>") != std::string::npos);
  Svg whole;
  add_x_axis(&whole, Scale{-10, 10, 0, 100}, 50, {-10, 0, 10}, "x");
  CHECK(whole.body.find(">-10</text>") != std::string::npos);
  CHECK(whole.body.find(">0</text>") != std::string::npos);
}

TEST_CASE("a long label is cut to fit, keeping its start", "[svg]") {
  std::string label = "#12 adam · lr 0.003 · noise [init,shuffle] · seed 4 · batch_size 128";
  std::string cut = rs::report::fit_text(label, 200);
  CHECK(cut.rfind("#12 adam", 0) == 0);
  CHECK(cut.size() > 3);
  CHECK(cut.compare(cut.size() - 3, 3, "…") == 0);
  CHECK(rs::report::text_width(cut) <= 200);
  CHECK(rs::report::fit_text("#1 sgd", 200) == "#1 sgd");
}
