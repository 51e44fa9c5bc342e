# `cmake --install BUILD --prefix PREFIX` lays out a cluster installation:
#   PREFIX/bin/sweep, PREFIX/bin/trainer
#   PREFIX/share/reprosweep/sweeps/*.yaml, PREFIX/share/reprosweep/docs/*.md
#   PREFIX/share/modulefiles/reprosweep/VERSION.lua   an Lmod module for PREFIX
# The trainer keeps the RPATH to the LibTorch it was linked with (the .venv's wheel or a
# site's module), so the installed binary finds it without LD_LIBRARY_PATH.
include(GNUInstallDirs)
set(CMAKE_INSTALL_RPATH_USE_LINK_PATH TRUE)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/sweeps/ DESTINATION ${CMAKE_INSTALL_DATADIR}/reprosweep/sweeps
        FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/reprosweep/docs
        FILES_MATCHING PATTERN "*.md")
# The module names the prefix given at install time (--prefix), not the configured one, so the
# template is filled in by the install script itself.
install(CODE "
  set(REPROSWEEP_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/env/modules/reprosweep.lua.in\"
    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/modulefiles/reprosweep/${PROJECT_VERSION}.lua\"
    @ONLY)
  message(STATUS \"Installing: \${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/modulefiles/reprosweep/${PROJECT_VERSION}.lua\")")
