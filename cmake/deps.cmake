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

function(al_mbedtls_lib name config)
  add_library(${name} STATIC ${_mbed_src} ${CMAKE_SOURCE_DIR}/crypto/sha256/sha256_ni.c)
  target_include_directories(${name} PUBLIC ${AL_MBEDTLS_INCLUDE} PRIVATE ${AL_MBEDTLS_DIR}/library)
  target_compile_definitions(${name} PUBLIC "MBEDTLS_CONFIG_FILE=\"${config}\"")
  # Third-party code: build it, do not lint it.
  target_compile_options(${name} PRIVATE -w -O2)
endfunction()
al_mbedtls_lib(al_mbedtls airlock_mbedtls_config.h)

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
