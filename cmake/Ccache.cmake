# Use ccache when it is installed: CI rebuilds from a fresh clone every time, and the trainer's
# LibTorch headers make each of its translation units cost ~20 s without a cache.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # BASEDIR + NOHASHDIR: paths inside the clone are hashed relative to it, so a clone in another
  # folder (CI's) hits the cache that this one filled. INODECACHE: a header's hash is computed
  # once and kept by inode and timestamps, not again for every file that includes it (a hit on
  # a LibTorch file otherwise rehashes its ~4,600 headers, or the 600 MB precompiled header).
  set(_env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1 CCACHE_INODECACHE=true)
  set(_launcher ${CMAKE_COMMAND} -E env ${_env} ${CCACHE_PROGRAM})
  set(CMAKE_C_COMPILER_LAUNCHER ${_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${_launcher})
  # For targets that compile with a precompiled header (cmake/TorchCompileTime.cmake): ccache
  # caches their files only with this sloppiness (ccache's manual, "Precompiled headers"), as it
  # cannot see the #defines and __TIME__ inside a PCH, nor tell a PCH written a moment ago from
  # a header being edited.
  set(CCACHE_PCH_LAUNCHER ${CMAKE_COMMAND} -E env ${_env}
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime ${CCACHE_PROGRAM})
endif()
