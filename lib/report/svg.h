// SVG images as text, for the plots of the HTML report (html_report.h): a linear scale, round
// tick values and a few drawing primitives.
//
// Colours and strokes come from CSS classes that the report's style sheet defines, so the
// primitives take a class name rather than a style. Every text is escaped. Coordinates are in
// pixels from the top left, written with one decimal.
#pragma once

#include <string>
#include <vector>

namespace rs::report {

// Maps data values in [lo, hi] linearly onto pixels in [from, to]; to < from flips the
// direction, as a y axis needs. With lo == hi every value maps to the middle.
struct Scale {
  double lo = 0, hi = 1;
  double from = 0, to = 1;
  double operator()(double value) const;
};

// Round values (steps of 1, 2 or 5 times a power of ten) inside [lo, hi], about `count` of
// them; {lo} when lo >= hi.
std::vector<double> nice_ticks(double lo, double hi, int count);

struct Point {
  double x = 0, y = 0;
};

enum class Anchor { kStart, kMiddle, kEnd };

// An image being drawn: each add_* appends one element to `body`.
struct Svg {
  double width = 0, height = 0;
  std::string body;
};

// `tooltip`, when not "", becomes the element's <title>, which browsers show on hover.
void add_line(Svg* svg, Point a, Point b, const std::string& css_class);
void add_circle(Svg* svg, Point center, double radius, const std::string& css_class,
                const std::string& tooltip = "");
void add_rect(Svg* svg, Point top_left, double width, double height, const std::string& css_class,
              const std::string& tooltip = "");
void add_polyline(Svg* svg, const std::vector<Point>& points, const std::string& css_class);
void add_polygon(Svg* svg, const std::vector<Point>& points, const std::string& css_class);
void add_text(Svg* svg, Point at, const std::string& text, const std::string& css_class,
              Anchor anchor = Anchor::kStart);

// An axis line along the plot area at pixel y (x axis) or pixel x (y axis), a tick and a label
// at each of `ticks`, and the axis title beside it. Labels have as many decimals as the tick
// step needs.
void add_x_axis(Svg* svg, const Scale& x, double y, const std::vector<double>& ticks,
                const std::string& title);
void add_y_axis(Svg* svg, const Scale& y, double x, const std::vector<double>& ticks,
                const std::string& title);

// About how wide `text` is drawn at the style sheet's 11 px (6.2 px per character, counted in
// UTF-8 characters): enough to leave room for row labels.
double text_width(const std::string& text);

// `text` cut to fit `width` pixels (text_width), ending in "…" when cut: a row label keeps its
// start ("#3 adam · ..."), which ties it to the tables; the tooltip has the whole text.
std::string fit_text(const std::string& text, double width);

// The finished <svg> element, with `title` as its accessible name.
std::string to_svg(const Svg& svg, const std::string& title);

}  // namespace rs::report
