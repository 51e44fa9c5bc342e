#include "slurm/software.h"

#include <regex>

#include <fmt/format.h>

#include "util/error.h"
#include "util/text.h"

namespace rs::slurm {

void check_module_name(const std::string& name) {
  // Lmod names and versions: "gcc", "CUDA/12.1.1", "PyTorch/2.1.2-foss-2023a-CUDA-12.1.1".
  static const std::regex kModule(R"([A-Za-z0-9][A-Za-z0-9_.+\-]*(/[A-Za-z0-9_.+\-]+)*)");
  if (name.size() > 256 || !std::regex_match(name, kModule))
    throw InputError(fmt::format("expected a module name such as CUDA/12.1.1 (letters, digits and _.+- in "
                                 "parts joined by /), got \"{}\"",
                                 name));
}

void check_container_image(const std::string& image) {
  static const std::regex kImage(R"(([a-z]+://)?[A-Za-z0-9_./][A-Za-z0-9_./+@%:\-]*)");
  if (image.size() > 1024 || !std::regex_match(image, kImage))
    throw InputError(fmt::format("expected an Apptainer image: a path or a URI such as docker://org/image:tag "
                                 "(letters, digits and _./+@%:- only), got \"{}\"",
                                 image));
}

std::string software_setup_lines(const Software& software) {
  if (software.modules.empty()) return "# software: the submitting shell's (no modules to load)";
  std::string names;
  for (const auto& module : software.modules) names += " " + shell_quote(module);
  return fmt::format(
      "command -v module >/dev/null 2>&1 || {{ echo \"reprosweep: no 'module' command on $(hostname);"
      " this environment needs Lmod\" >&2; exit 1; }}\n"
      "module load{} || {{ echo \"reprosweep: module load failed\" >&2; exit 1; }}",
      names);
}

std::string trainer_launcher(const Software& software) {
  if (software.container.empty()) return "";
  return fmt::format("apptainer exec --nv --bind \"$sweep_dir\" {} ", shell_quote(software.container));
}

}  // namespace rs::slurm
