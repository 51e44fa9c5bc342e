# Finds LibTorch for the trainer, in this order:
#   1. Torch_DIR or CMAKE_PREFIX_PATH given by the user (e.g. a cluster module's LibTorch),
#   2. the torch wheel in the project's .venv (env/setup.sh installs torch==2.11.0 there),
#      located through torch.utils.cmake_prefix_path,
#   3. a system LibTorch (Debian's libtorch-dev 1.13.1, CPU only).
# Sets REPROSWEEP_HAVE_TORCH. Without LibTorch everything but the trainer builds.
set(REPROSWEEP_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
    "Python whose torch package provides LibTorch")
if(EXISTS "${REPROSWEEP_PYTHON}")
  execute_process(
    COMMAND "${REPROSWEEP_PYTHON}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
    OUTPUT_VARIABLE _torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _torch_rc ERROR_QUIET)
  if(_torch_rc EQUAL 0 AND _torch_prefix)
    list(APPEND CMAKE_PREFIX_PATH "${_torch_prefix}")
  endif()
endif()

# The CUDA wheel's config looks for the CUDA toolkit; point it at the usual place.
if(NOT DEFINED CUDAToolkit_ROOT AND EXISTS /usr/local/cuda/bin/nvcc)
  set(CUDAToolkit_ROOT /usr/local/cuda)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
endif()
if(NOT DEFINED TORCH_CUDA_ARCH_LIST)
  set(TORCH_CUDA_ARCH_LIST "8.0;9.0")  # we compile no CUDA code; this only quiets the config
endif()

find_package(Torch QUIET)
if(Torch_FOUND)
  set(REPROSWEEP_HAVE_TORCH ON)
  message(STATUS "LibTorch ${Torch_VERSION}: ${TORCH_LIBRARIES}")
else()
  set(REPROSWEEP_HAVE_TORCH OFF)
  message(WARNING "LibTorch not found: building without the trainer (run env/setup.sh)")
endif()
