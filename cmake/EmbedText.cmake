# embed_text(OUTPUT_CC SYMBOL INPUT): generates a .cc defining
#   extern const char* const SYMBOL;  // the text of INPUT
# so that templates kept as plain files in the source tree ship inside the executable.
function(embed_text output symbol input)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    VERBATIM)
endfunction()
