# The Debian package (SPEC §11): after a build, `cpack -G DEB` in the build directory (or
# scripts/package.sh) writes dogwatch_<version>-<release>_<arch>.deb. It holds the static binary,
# the systemd unit, /etc/dogwatch/dogwatch.toml (a conffile), a man page made from the CLI's own
# --help, and the copyright and changelog files; packaging/deb/ has the maintainer scripts and
# packaging/deb/README.md says why each choice was made. The build itself only gains what the
# package needs from it: the man page and the packaged config, in <build>/packaging/.

# Debian only (DESIGN.md): elsewhere the build goes on without packaging rules.
find_program(DOGWATCH_DPKG_QUERY dpkg-query)
if(NOT DOGWATCH_DPKG_QUERY)
  message(STATUS "dpkg-query not found: no .deb packaging")
  return()
endif()

set(DOGWATCH_PKG_DIR ${CMAKE_BINARY_DIR}/packaging)
set(DOGWATCH_DEB_SRC ${CMAKE_SOURCE_DIR}/packaging/deb)
file(MAKE_DIRECTORY ${DOGWATCH_PKG_DIR})

set(DOGWATCH_DEB_MAINTAINER "dogwatch authors <dogwatch@users.noreply.github.com>" CACHE STRING
    "Maintainer field of the .deb")
set(DOGWATCH_HOMEPAGE "https://github.com/dogwatch/dogwatch")
set(DOGWATCH_DEB_RELEASE 1)  # the Debian revision: 0.1.0-1

# cpack and `cmake --install` take what the build made and do not build first: the package test
# runs cpack while other tests run the binary, and a re-link under them must not happen. Build
# first (scripts/package.sh does).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# /etc/dogwatch/dogwatch.toml: the annotated example (the one `dogwatch config default` prints)
# with the database where the unit and its StateDirectory= put it. The replacement must hit: if the
# example's data_dir line changes, this stops the build instead of shipping a ./dogwatch-data.
set(example_path ${CMAKE_SOURCE_DIR}/packaging/dogwatch.example.toml)
file(READ ${example_path} example)
string(REPLACE "data_dir = \"./dogwatch-data\"" "data_dir = \"/var/lib/dogwatch\"" packaged "${example}")
if(packaged STREQUAL example)
  message(FATAL_ERROR "${example_path}: no `data_dir = \"./dogwatch-data\"` line to replace for the package")
endif()
file(WRITE ${DOGWATCH_PKG_DIR}/dogwatch.toml "${packaged}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${example_path})

# The man page, from `dogwatch --help` and every subcommand's --help (packaging/man/), rebuilt
# whenever the binary is. Without help2man the binary still builds, but packaging stops below.
find_program(DOGWATCH_HELP2MAN help2man)
set(man_page ${DOGWATCH_PKG_DIR}/dogwatch.1.gz)
if(DOGWATCH_HELP2MAN)
  add_custom_command(
    OUTPUT ${man_page}
    COMMAND bash ${CMAKE_SOURCE_DIR}/packaging/man/build-man.sh ${DOGWATCH_HELP2MAN}
            $<TARGET_FILE:dogwatch> ${man_page}
    DEPENDS dogwatch ${CMAKE_SOURCE_DIR}/packaging/man/build-man.sh
            ${CMAKE_SOURCE_DIR}/packaging/man/commands.sh ${CMAKE_SOURCE_DIR}/packaging/man/dogwatch.h2m
    COMMENT "Man page from dogwatch --help (help2man)")
  add_custom_target(dogwatch_man ALL DEPENDS ${man_page})
else()
  message(STATUS "help2man not found: no man page, and cpack will refuse to package "
                 "(packaging/install-deps.sh installs it)")
endif()

# /usr/share/doc/dogwatch/copyright (machine-readable format) from LICENSE, and the notices of the
# libraries the static binary contains.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingNotices.cmake)
dogwatch_write_copyright(${DOGWATCH_PKG_DIR}/copyright ${DOGWATCH_PKG_DIR}/third-party)

# changelog.Debian.gz: a package with a Debian revision must carry one. Its date honours
# SOURCE_DATE_EPOCH; the project's history is git's.
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${DOGWATCH_PKG_DIR}/changelog.Debian
"dogwatch (${PROJECT_VERSION}-${DOGWATCH_DEB_RELEASE}) unstable; urgency=medium

  * Built with CPack from the dogwatch source tree (cmake/Packaging.cmake).
    The changes are in the project's git history.

 -- ${DOGWATCH_DEB_MAINTAINER}  ${changelog_date}
")
execute_process(COMMAND gzip -9nc ${DOGWATCH_PKG_DIR}/changelog.Debian
                OUTPUT_FILE ${DOGWATCH_PKG_DIR}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)

# What the package installs. Paths outside the /usr prefix are absolute.
install(CODE "
  if(NOT EXISTS \"${man_page}\")
    message(FATAL_ERROR \"${man_page} is missing: install help2man (packaging/install-deps.sh), \"
                        \"re-run cmake and build before packaging\")
  endif()")
install(TARGETS dogwatch RUNTIME DESTINATION bin)
install(FILES ${CMAKE_SOURCE_DIR}/systemd/dogwatch.service DESTINATION /lib/systemd/system)
install(FILES ${DOGWATCH_PKG_DIR}/dogwatch.toml DESTINATION /etc/dogwatch)
install(FILES ${man_page} DESTINATION share/man/man1)
install(FILES ${DOGWATCH_PKG_DIR}/copyright ${DOGWATCH_PKG_DIR}/changelog.Debian.gz
        DESTINATION share/doc/dogwatch)
install(DIRECTORY ${DOGWATCH_PKG_DIR}/third-party DESTINATION share/doc/dogwatch)
install(FILES ${DOGWATCH_DEB_SRC}/lintian-overrides DESTINATION share/lintian/overrides RENAME dogwatch)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dogwatch)
set(CPACK_PACKAGE_VENDOR "the dogwatch authors")
set(CPACK_PACKAGE_CONTACT "${DOGWATCH_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "dead man's switch for cron jobs, compatible with Healthchecks.io")
# Lines of at most 79 characters (lintian: extended-description-line-too-long).
set(CPACK_PACKAGE_DESCRIPTION
"dogwatch knows when every cron job's ping is due and alerts you when one is
late, and again when the job recovers. It speaks the Healthchecks.io Pinging
API and Management API v3, so existing crontab lines and clients keep working.
It has a web UI, checks declared in its config file, and alerts by email,
webhooks, Slack, Discord, Telegram, ntfy and more.
.
This package installs one statically linked binary, a hardened systemd unit
(enabled, not started) and /etc/dogwatch/dogwatch.toml.")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${DOGWATCH_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # dogwatch_0.1.0-1_amd64.deb
# CPACK_DEBIAN_PACKAGE_ARCHITECTURE: CPack's default, `dpkg --print-architecture`.
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${DOGWATCH_HOMEPAGE})
# The binary is static: no shared library to depend on (dpkg-shlibdeps would find none). At run
# time it reads /usr/share/zoneinfo (tzdata); postinst needs adduser; the unit's ExecReload runs
# /bin/kill (procps). HTTPS webhooks and SMTP over TLS check certificates against the system's CA
# store (OpenSSL's /usr/lib/ssl/certs, from ca-certificates and the openssl it depends on).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, procps, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${DOGWATCH_DEB_SRC}/postinst ${DOGWATCH_DEB_SRC}/prerm ${DOGWATCH_DEB_SRC}/postrm
    ${DOGWATCH_DEB_SRC}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)  # scripts 0755, conffiles 0644
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_STRIP_FILES TRUE)
include(CPack)
