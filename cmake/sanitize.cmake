# RELAYAUDIT_SANITIZE: every target of the tree, ours and the tests, is compiled and linked with
# ASan + UBSan. UBSan does not recover: a finding ends the process with a non-zero status, so a
# test that triggers one fails instead of printing a warning nobody reads.
#
# RELAYAUDIT_FUZZ: libFuzzer targets (tests/fuzz). libFuzzer ships with clang only, so another
# compiler is a configuration error. It implies the sanitizers: a fuzzer without ASan misses the
# memory errors it is there to find, and the coverage hooks compiled into our libraries need a
# sanitizer runtime in every program that links them (the unit tests and relayaudit too).
if(RELAYAUDIT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR
      "RELAYAUDIT_FUZZ=ON needs clang (libFuzzer ships with it), not ${CMAKE_CXX_COMPILER_ID}: "
      "configure a fresh build directory with -DCMAKE_CXX_COMPILER=clang++ "
      "(Debian: apt-get install clang libclang-rt-14-dev).")
  endif()
  if(NOT RELAYAUDIT_SANITIZE)
    message(STATUS "RELAYAUDIT_FUZZ=ON: turning on RELAYAUDIT_SANITIZE as well")
    set(RELAYAUDIT_SANITIZE ON CACHE BOOL "" FORCE)
  endif()
endif()

if(RELAYAUDIT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage instrumentation for libFuzzer, applied to the analyzer libraries (relayaudit_layer)
# and the fuzz targets only: Qt and the tests are not what is being explored.
function(relayaudit_fuzz_instrument target)
  if(RELAYAUDIT_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
