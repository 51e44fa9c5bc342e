// --pue, --carbon-intensity and --region: the site factors that `sweep energy` and
// `sweep collect` both take, resolved in both with energy/site_config.h's precedence.
#pragma once

#include <string>

#include <boost/program_options.hpp>

#include "energy/site_config.h"

namespace rs::app {

inline constexpr char kSiteUsage[] = "[--pue X] [--carbon-intensity Y | --region CODE]";

// Where the parsed values go; only the options given on the command line count.
struct SiteOptions {
  double pue = 0, carbon_intensity = 0;
  std::string region;
};

void add_site_options(boost::program_options::options_description* options, SiteOptions* site);

// The factors from the options given, then $REPROSWEEP_SITE_FILE, /etc/reprosweep/site.yaml
// and the defaults. Throws rs::InputError as energy::resolve_site() does.
energy::SiteConfig resolve_site_options(const SiteOptions& site,
                                        const boost::program_options::variables_map& values);

}  // namespace rs::app
