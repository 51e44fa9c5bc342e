# project_warnings(TARGET): the warning set every project target compiles with.
function(project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
