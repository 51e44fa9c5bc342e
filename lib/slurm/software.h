// The software an environment's runs use (a grid's `environments:`, docs/grid-file.md): Lmod
// modules loaded before the trainer starts, and an Apptainer image the trainer runs in.
//
// Module names and the image path are checked against strict patterns when a grid is read, and
// written into the batch scripts single-quoted besides, so no grid value reaches a shell as code.
#pragma once

#include <string>
#include <vector>

namespace rs::slurm {

struct Software {
  std::vector<std::string> modules;  // `module load` arguments, in order, e.g. "CUDA/12.1.1"
  std::string container;             // Apptainer image (path or URI); "" = none
};

// Throws rs::InputError("expected ...") when `name` is not a module name: letters, digits and
// _.+- in parts joined by '/', starting with a letter or digit (so never an option).
void check_module_name(const std::string& name);

// Throws rs::InputError("expected ...") for an image that is not a path or an Apptainer URI
// (docker://..., oras://...) of letters, digits and _./+@%:- starting with one of / . or a letter.
void check_container_image(const std::string& image);

// The script lines that set the software up: `module load 'A' 'B'` (with a check that the
// `module` command exists), or a comment saying the task keeps the submitting shell's software.
std::string software_setup_lines(const Software& software);

// The words the trainer's command starts with: "" or, with a container,
// `apptainer exec --nv --bind "$sweep_dir" 'IMAGE' ` (GPUs visible, the sweep folder bound).
std::string trainer_launcher(const Software& software);

}  // namespace rs::slurm
