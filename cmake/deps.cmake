# Dependencies. mbedTLS and cJSON are compiled here from the pinned Debian
# source packages that scripts/setup put in third_party/; libarchive,
# libsodium and the compressors come from Debian's -dev packages. Plain -l
# names let one set of targets serve both links: with -static the linker
# takes the .a archives (build/bin/airlock), without it the .so (tests).

# ---- mbedTLS 3.6 with our configuration and our SHA-256 compression function
set(AL_MBEDTLS_DIR ${AL_THIRD_PARTY}/mbedtls)
set(AL_MBEDTLS_INCLUDE ${AL_MBEDTLS_DIR}/include ${CMAKE_SOURCE_DIR}/cmake)
file(GLOB _mbed_src ${AL_MBEDTLS_DIR}/library/*.c)
list(FILTER _mbed_src EXCLUDE REGEX "/(ssl_|net_sockets|timing|debug|psa_|mps_)[^/]*\\.c$")

# -O3: ECDSA verification (the bignum and curve arithmetic of bignum*.c, ecp*.c)
# is most of the time of a Sigstore bundle's checks; -O3 made it about 5%
# faster than -O2 (bench/crypto_bench.c, docs/performance.md).
#
# crypto/p256/ is airlock's ECDSA verification behind mbedtls_ecdsa_verify
# (MBEDTLS_ECDSA_VERIFY_ALT; docs/verification.md): it goes into the library
# because mbedTLS calls it (as sha256_ni.c), but it is our code, so it is an
# object library of its own, compiled with our warnings, not with -w.
function(al_mbedtls_lib name config)
  add_library(${name}_ecdsa OBJECT ${CMAKE_SOURCE_DIR}/crypto/p256/p256.c
              ${CMAKE_SOURCE_DIR}/crypto/p256/ecdsa_alt.c)
  target_include_directories(${name}_ecdsa PRIVATE ${AL_MBEDTLS_INCLUDE} ${CMAKE_SOURCE_DIR})
  target_compile_definitions(${name}_ecdsa PRIVATE "MBEDTLS_CONFIG_FILE=\"${config}\"")
  target_compile_options(${name}_ecdsa PRIVATE ${AL_WARN} -O3)
  add_library(${name} STATIC ${_mbed_src} ${CMAKE_SOURCE_DIR}/crypto/sha256/sha256_ni.c
              $<TARGET_OBJECTS:${name}_ecdsa>)
  target_include_directories(${name} PUBLIC ${AL_MBEDTLS_INCLUDE} PRIVATE ${AL_MBEDTLS_DIR}/library)
  target_compile_definitions(${name} PUBLIC "MBEDTLS_CONFIG_FILE=\"${config}\"")
  # Third-party code: build it, do not lint it.
  target_compile_options(${name} PRIVATE -w -O3)
endfunction()
al_mbedtls_lib(al_mbedtls airlock_mbedtls_config.h)
# Link-time optimisation inside mbedTLS: ecp.c calls small bignum.c helpers
# (compare, copy, grow) millions of times per second; inlined across files,
# ECDSA verification gained another ~6% on top of -O3. Release builds only:
# the sanitizer and fuzzing builds keep their plain objects.
if(NOT AL_SANITIZE AND NOT AL_FUZZ)
  include(CheckIPOSupported)
  check_ipo_supported(RESULT _al_ipo OUTPUT _al_ipo_why LANGUAGES C)
  if(_al_ipo)
    set_property(TARGET al_mbedtls PROPERTY INTERPROCEDURAL_OPTIMIZATION TRUE)
  else()
    message(STATUS "mbedTLS is built without link-time optimisation: ${_al_ipo_why}")
  endif()
endif()

# ---- cJSON, compiled in (Debian ships no static cJSON)
set(AL_CJSON_DIR ${AL_THIRD_PARTY}/cjson)
add_library(al_cjson STATIC ${AL_CJSON_DIR}/cJSON.c)
target_include_directories(al_cjson PUBLIC ${AL_CJSON_DIR})
# Must equal AL_JSON_MAX_DEPTH in common/limits.h (checked by a static assert).
target_compile_definitions(al_cjson PUBLIC CJSON_NESTING_LIMIT=64)
target_compile_options(al_cjson PRIVATE -w)

# ---- libsodium (Ed25519 verification only)
add_library(al_sodium INTERFACE)
target_link_libraries(al_sodium INTERFACE sodium)

# ---- libarchive with only the formats and filters we register, and its compressors
add_library(al_archive INTERFACE)
target_link_libraries(al_archive INTERFACE archive zstd lzma bz2 z)
