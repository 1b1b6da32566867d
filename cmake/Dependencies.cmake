# Every dependency comes from a Debian package (DESIGN.md "Dependencies"). Each becomes an
# imported target, so a module's target_link_libraries names exactly what it may use.
# Static archives for the release binary: prefer .a over .so everywhere.
if(DOGWATCH_STATIC)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(ZLIB_USE_STATIC_LIBS TRUE)
endif()

find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)

# SQLiteCpp's CMake package links the shared libsqlite3; name the archives directly instead.
find_library(SQLITECPP_LIB NAMES libSQLiteCpp.a SQLiteCpp REQUIRED)
find_library(SQLITE3_LIB NAMES libsqlite3.a sqlite3 REQUIRED)
find_library(SODIUM_LIB NAMES libsodium.a sodium REQUIRED)

add_library(dep_fmt INTERFACE)
target_compile_definitions(dep_fmt INTERFACE FMT_HEADER_ONLY=1)

add_library(dep_toml INTERFACE)
target_compile_definitions(dep_toml INTERFACE TOML_HEADER_ONLY=1 TOML_EXCEPTIONS=1)

add_library(dep_cli11 INTERFACE)   # header-only, /usr/include/CLI
add_library(dep_json INTERFACE)    # header-only, /usr/include/nlohmann
add_library(dep_doctest INTERFACE) # header-only, /usr/include/doctest

add_library(dep_sqlite INTERFACE)
target_link_libraries(dep_sqlite INTERFACE ${SQLITECPP_LIB} ${SQLITE3_LIB} Threads::Threads ${CMAKE_DL_LIBS} m)

add_library(dep_sodium INTERFACE)
target_link_libraries(dep_sodium INTERFACE ${SODIUM_LIB})

# cpp-httplib: the full single header from Debian's source package, with TLS and compression.
add_library(dep_httplib INTERFACE)
target_include_directories(dep_httplib SYSTEM INTERFACE ${DOGWATCH_THIRD_PARTY})
# The listen backlog defaults to 5: a burst of crontab pings at the top of the minute overflows
# it and the kernel drops SYNs (a 1 s retransmit each). 4096 is the kernel's somaxconn cap.
target_compile_definitions(dep_httplib INTERFACE CPPHTTPLIB_OPENSSL_SUPPORT=1 CPPHTTPLIB_ZLIB_SUPPORT=1
                           CPPHTTPLIB_LISTEN_BACKLOG=4096
                           # poll() instead of select(): select cannot watch fds above 1023, so
                           # past ~1,000 open connections it would fail.
                           CPPHTTPLIB_USE_POLL=1)
target_link_libraries(dep_httplib INTERFACE OpenSSL::SSL OpenSSL::Crypto ZLIB::ZLIB Threads::Threads)

# date/tz: headers from libhowardhinnant-date-dev, tz.cpp from the source package, reading the
# system's /usr/share/zoneinfo (no download code compiled in).
add_library(dep_tz STATIC ${DOGWATCH_THIRD_PARTY}/tz.cpp)
target_compile_definitions(dep_tz PUBLIC USE_OS_TZDB=1 HAS_REMOTE_API=0 ONLY_C_LOCALE=1)
target_include_directories(dep_tz PRIVATE ${DOGWATCH_THIRD_PARTY})
target_compile_options(dep_tz PRIVATE -w)
set_target_properties(dep_tz PROPERTIES POSITION_INDEPENDENT_CODE ON)
