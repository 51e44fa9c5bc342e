# Compile time of the targets that include LibTorch's headers. A file of lib/train that includes
# torch/nn costs ~25 s of CPU at -O2 -g on the project's VM: ~10 s parsing LibTorch's headers,
# ~11 s writing debug information for the LibTorch templates it instantiates. The demo builds
# twenty such files, on 2 cores, from a cold compiler cache on a fresh machine (figures
# from timing single files when this was written; the cold demo as a whole is timed in
# docs/benchmarks.md, "The demo sweep").
#
# torch_compile_time(TARGET [PCH_FROM OTHER] [NO_PCH file...]):
#  - In RelWithDebInfo (the default build) TARGET compiles with -g1 instead of -g: line tables
#    and function names, which is what backtraces, perf and gdb's `bt` use, without the types
#    and local variables, which in these files are almost all LibTorch's. Halves the time of a
#    LibTorch file. A Debug build keeps -g.
#  - TARGET's files compile with a precompiled header (PCH) of lib/train/torch_headers.h, the
#    third-party headers most of them include; PCH_FROM OTHER uses the PCH that OTHER built
#    instead of building another (and OTHER's compile definitions, without which GCC ignores
#    the PCH). It is included by the name
#    "train/torch_headers.h", not by its path, so that the PCH and ccache's hashes are the
#    same in every clone (CI's clone hits the cache that another folder filled). Files named
#    after NO_PCH include little of LibTorch: loading the ~570 MB PCH (~2 s) would cost them
#    more than it saves.
#  - ccache caches the files that use the PCH (CCACHE_PCH_LAUNCHER, cmake/Ccache.cmake).
function(torch_compile_time target)
  cmake_parse_arguments(ARG "" "PCH_FROM" "NO_PCH" ${ARGN})
  # GCC takes the last -g option; CMake puts a target's options after CMAKE_CXX_FLAGS_<CONFIG>.
  target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo>:-g1>)
  if(ARG_PCH_FROM)
    target_precompile_headers(${target} REUSE_FROM ${ARG_PCH_FROM})
    # GCC uses a PCH only where the macros defined when it was built are defined the same.
    target_compile_definitions(${target} PRIVATE $<TARGET_PROPERTY:${ARG_PCH_FROM},COMPILE_DEFINITIONS>)
  else()
    target_precompile_headers(${target} PRIVATE [["train/torch_headers.h"]])
  endif()
  if(ARG_NO_PCH)
    set_source_files_properties(${ARG_NO_PCH} TARGET_DIRECTORY ${target}
                                PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
  endif()
  if(CCACHE_PCH_LAUNCHER)
    set_target_properties(${target} PROPERTIES CXX_COMPILER_LAUNCHER "${CCACHE_PCH_LAUNCHER}")
  endif()
endfunction()
