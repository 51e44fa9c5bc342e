// Text into HTML and SVG: every string of the collector's report and of a Table's HTML (group
// parameters come from user grids, run ids and GPU names from run files) goes through here
// before it reaches the page.
#pragma once

#include <string>

namespace rs {

// `text` with & < > " ' replaced by character references, safe as element text and as a quoted
// attribute value alike.
std::string escape_html(const std::string& text);

}  // namespace rs
