# Use ccache when it is installed: CI rebuilds from a fresh clone every time, and the trainer's
# LibTorch headers make each of its translation units cost ~20 s without a cache.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # BASEDIR + NOHASHDIR: paths inside the clone are hashed relative to it, so a clone in another
  # folder (CI's) hits the cache that this one filled.
  set(_launcher ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1
      ${CCACHE_PROGRAM})
  set(CMAKE_C_COMPILER_LAUNCHER ${_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${_launcher})
endif()
