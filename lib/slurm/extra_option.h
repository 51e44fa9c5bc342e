// An item of `slurm.extra`, matched the way sbatch matches its options, against the options
// ReproSweep's scripts set themselves.
//
// sbatch parses #SBATCH lines with getopt_long: a long option may be abbreviated to any prefix
// that names it alone (`--sig=` is --signal, `--outp=` is --output), --no-requeue undoes
// --requeue, and one-letter options (`-o`) stand for long ones. An `extra` item comes after
// ReproSweep's own lines, so whatever it names wins; an item that names, or may name, one of
// the reserved options below is refused.
#pragma once

#include <string>

namespace rs::slurm {

// Throws rs::InputError ("slurm.extra: ...") when `item` is not a single `--name[=value]`
// option, when `name` is a reserved option, a prefix of one, or a `--no-` form of either, and
// for every one-letter option (naming its long form when that is reserved; the long form of the
// others is asked for, since a cluster of letters such as `-Ho/x` hides which ones it sets).
void check_extra_option(const std::string& item);

}  // namespace rs::slurm
