#include "site_options.h"

namespace rs::app {

namespace po = boost::program_options;

void add_site_options(po::options_description* options, SiteOptions* site) {
  options->add_options()
      ("pue", po::value(&site->pue), "the data centre's PUE (default: site file, else 1.0)")
      ("carbon-intensity", po::value(&site->carbon_intensity),
       "kg CO2e per kWh (default: site file, else world average)")
      ("region", po::value(&site->region), "use the bundled carbon intensity of country CODE (e.g. DE)");
}

energy::SiteConfig resolve_site_options(const SiteOptions& site, const po::variables_map& values) {
  energy::SiteOverrides command_line;
  if (values.count("pue")) command_line.pue = site.pue;
  if (values.count("carbon-intensity")) command_line.carbon_intensity = site.carbon_intensity;
  command_line.region = site.region;
  return energy::resolve_site(command_line, energy::site_files());
}

}  // namespace rs::app
