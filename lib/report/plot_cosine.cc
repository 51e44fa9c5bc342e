#include "report/plot_cosine.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/svg.h"

namespace rs::report {

namespace {

constexpr double kWidth = 440, kHeight = 230, kLeft = 52, kRight = 16, kTop = 24, kBottom = 44;

}  // namespace

std::string cosine_plot(const Stability& stability, const std::string& title) {
  std::vector<EpochCosine> defined;
  for (const auto& entry : stability.cosine_last_layer) {
    if (entry.mean) defined.push_back(entry);
  }
  if (defined.empty()) return "";

  double lo = 1, hi = -1;
  for (const auto& entry : defined) {
    lo = std::min(lo, *entry.min);
    hi = std::max(hi, *entry.max);
  }
  double pad = std::max(0.005, 0.05 * (hi - lo));
  Scale y{std::max(-1.0, lo - pad), std::min(1.0, hi + pad), kHeight - kBottom, kTop};
  int64_t last_epoch = defined.back().epoch;
  Scale x{static_cast<double>(defined.front().epoch), static_cast<double>(last_epoch), kLeft,
          kWidth - kRight};

  Svg svg;
  svg.width = kWidth;
  svg.height = kHeight;
  // The band: along the maxima left to right, back along the minima right to left.
  std::vector<Point> band, mean;
  for (const auto& entry : defined) band.push_back({x(entry.epoch), y(*entry.max)});
  for (auto it = defined.rbegin(); it != defined.rend(); ++it) {
    band.push_back({x(it->epoch), y(*it->min)});
  }
  for (const auto& entry : defined) mean.push_back({x(entry.epoch), y(*entry.mean)});
  add_polygon(&svg, band, "band");
  add_polyline(&svg, mean, "mean-line");
  for (const auto& entry : defined) {
    add_circle(&svg, {x(entry.epoch), y(*entry.mean)}, 2.5, "mean-point",
               fmt::format("epoch {}: mean {:.6f}, min {:.6f}, max {:.6f}", entry.epoch,
                           *entry.mean, *entry.min, *entry.max));
  }
  int tick_count = static_cast<int>(std::clamp<int64_t>(last_epoch, 1, 6));
  add_x_axis(&svg, x, kHeight - kBottom, nice_ticks(x.lo, x.hi, tick_count),
             "epoch (0 = after initialisation)");
  add_y_axis(&svg, y, kLeft, nice_ticks(y.lo, y.hi, 4), "cosine");
  return to_svg(svg, title);
}

}  // namespace rs::report
