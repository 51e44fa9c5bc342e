# Use ccache when it is installed: CI rebuilds from a fresh clone every time, and the trainer's
# LibTorch headers make each of its translation units cost ~20 s without a cache.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()
