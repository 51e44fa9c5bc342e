#include "report/svg.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "util/html_escape.h"

namespace rs::report {

namespace {

std::string coordinate(double value) { return fmt::format("{:.1f}", value); }

std::string points_attr(const std::vector<Point>& points) {
  std::string text;
  for (const auto& p : points) {
    if (!text.empty()) text += ' ';
    text += coordinate(p.x) + "," + coordinate(p.y);
  }
  return text;
}

// Closes an element opened with `open` (without its '>'): with a <title> child when there is a
// tooltip, self-closing otherwise.
std::string close_element(const std::string& open, const std::string& name,
                          const std::string& tooltip) {
  if (tooltip.empty()) return open + "/>\n";
  return open + "><title>" + escape_html(tooltip) + "</title></" + name + ">\n";
}

const char* anchor_name(Anchor anchor) {
  switch (anchor) {
    case Anchor::kMiddle: return "middle";
    case Anchor::kEnd: return "end";
    default: return "start";
  }
}

// Enough decimals to tell ticks `step` apart: 0.25 -> 2, 5 -> 0.
std::string tick_label(double value, const std::vector<double>& ticks) {
  double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  if (std::fabs(value) < step * 1e-9) value = 0;  // no "-0.00"
  return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace

double text_width(const std::string& text) {
  size_t characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  });
  return 6.2 * static_cast<double>(characters);
}

std::string fit_text(const std::string& text, double width) {
  if (text_width(text) <= width) return text;
  // The characters that fit, one of them the ellipsis.
  size_t keep = static_cast<size_t>(std::max(1.0, width / text_width("x"))) - 1;
  size_t end = 0;
  for (size_t characters = 0; end < text.size(); ++end) {
    bool starts_character = (static_cast<unsigned char>(text[end]) & 0xC0) != 0x80;
    if (starts_character && characters++ == keep) break;
  }
  return text.substr(0, end) + "…";
}

double Scale::operator()(double value) const {
  if (hi == lo) return (from + to) / 2;
  return from + (value - lo) / (hi - lo) * (to - from);
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!(lo < hi) || count < 1) return {lo};
  double raw_step = (hi - lo) / count;
  double magnitude = std::pow(10, std::floor(std::log10(raw_step)));
  double residual = raw_step / magnitude;
  double step = magnitude * (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10);
  std::vector<double> ticks;
  // Multiplying rather than adding keeps rounding errors from piling up.
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; ++k) {
    ticks.push_back(k * step);
  }
  return ticks;
}

void add_line(Svg* svg, Point a, Point b, const std::string& css_class) {
  svg->body += fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
                           escape_html(css_class), coordinate(a.x), coordinate(a.y),
                           coordinate(b.x), coordinate(b.y));
}

void add_circle(Svg* svg, Point center, double radius, const std::string& css_class,
                const std::string& tooltip) {
  svg->body += close_element(
      fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"", escape_html(css_class),
                  coordinate(center.x), coordinate(center.y), coordinate(radius)),
      "circle", tooltip);
}

void add_rect(Svg* svg, Point top_left, double width, double height, const std::string& css_class,
              const std::string& tooltip) {
  svg->body += close_element(
      fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                  escape_html(css_class), coordinate(top_left.x), coordinate(top_left.y),
                  coordinate(std::max(0.0, width)), coordinate(std::max(0.0, height))),
      "rect", tooltip);
}

void add_polyline(Svg* svg, const std::vector<Point>& points, const std::string& css_class) {
  svg->body += fmt::format("<polyline class=\"{}\" points=\"{}\"/>\n", escape_html(css_class),
                           points_attr(points));
}

void add_polygon(Svg* svg, const std::vector<Point>& points, const std::string& css_class) {
  svg->body += fmt::format("<polygon class=\"{}\" points=\"{}\"/>\n", escape_html(css_class),
                           points_attr(points));
}

void add_text(Svg* svg, Point at, const std::string& text, const std::string& css_class,
              Anchor anchor) {
  svg->body += fmt::format("<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n",
                           escape_html(css_class), coordinate(at.x), coordinate(at.y),
                           anchor_name(anchor), escape_html(text));
}

void add_x_axis(Svg* svg, const Scale& x, double y, const std::vector<double>& ticks,
                const std::string& title) {
  add_line(svg, {x.from, y}, {x.to, y}, "axis");
  for (double tick : ticks) {
    add_line(svg, {x(tick), y}, {x(tick), y + 4}, "axis");
    add_text(svg, {x(tick), y + 16}, tick_label(tick, ticks), "tick", Anchor::kMiddle);
  }
  add_text(svg, {(x.from + x.to) / 2, y + 32}, title, "axis-title", Anchor::kMiddle);
}

void add_y_axis(Svg* svg, const Scale& y, double x, const std::vector<double>& ticks,
                const std::string& title) {
  add_line(svg, {x, y.from}, {x, y.to}, "axis");
  for (double tick : ticks) {
    add_line(svg, {x - 4, y(tick)}, {x, y(tick)}, "axis");
    add_text(svg, {x - 6, y(tick) + 4}, tick_label(tick, ticks), "tick", Anchor::kEnd);
  }
  add_text(svg, {x, y.to - 8}, title, "axis-title", Anchor::kMiddle);
}

std::string to_svg(const Svg& svg, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n<title>{2}</title>\n{3}</svg>\n",
      coordinate(svg.width), coordinate(svg.height), escape_html(title), svg.body);
}

}  // namespace rs::report
