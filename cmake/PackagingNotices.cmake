# The package's copyright file, and the notices of what the static binary contains.
#
# /usr/bin/dogwatch is statically linked: it carries code from glibc, libstdc++, OpenSSL, SQLite,
# libsodium, zlib and the header-only libraries, whose licenses (MIT, BSD, LGPL, ...) ask that their
# notices travel with the binary. Each comes from a Debian package on the build machine, so its
# notice is that package's own /usr/share/doc/<package>/copyright, found with `dpkg -S` on the file
# the build used and installed as /usr/share/doc/dogwatch/third-party/<source package>.

# One file per library the link uses (archives) or includes (headers); the compiler's own below.
function(_dogwatch_linked_files out)
  set(files ${OPENSSL_SSL_LIBRARY} ${OPENSSL_CRYPTO_LIBRARY} ${ZLIB_LIBRARY_RELEASE} ${SQLITE3_LIB}
            ${SQLITECPP_LIB} ${SODIUM_LIB})
  foreach(header fmt/core.h toml++/toml.h CLI/CLI.hpp nlohmann/json.hpp date/date.h)
    string(MAKE_C_IDENTIFIER "DOGWATCH_HDR_${header}" var)
    find_file(${var} ${header})
    list(APPEND files ${${var}})
  endforeach()
  foreach(lib libc.a libstdc++.a libgcc.a)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${lib} OUTPUT_VARIABLE path
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND files ${path})
  endforeach()
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# Copies each library's Debian copyright file into `dir`, named after its source package.
function(_dogwatch_third_party_notices dir)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  _dogwatch_linked_files(files)
  foreach(f ${files})
    get_filename_component(f "${f}" REALPATH)
    execute_process(COMMAND dpkg-query -S ${f} OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET)
    if(NOT rc EQUAL 0)
      # A library built by hand: the binary still builds, but a package made from it lacks a notice.
      message(WARNING "${f}: not from a Debian package (dpkg-query -S); the .deb will lack its notice")
      continue()
    endif()
    string(REGEX REPLACE "[:,].*" "" package "${owner}")
    execute_process(COMMAND dpkg-query -W -f=\${source:Package} ${package} OUTPUT_VARIABLE source)
    if(EXISTS /usr/share/doc/${package}/copyright)
      file(COPY_FILE /usr/share/doc/${package}/copyright ${dir}/${source})
    else()
      message(WARNING "/usr/share/doc/${package}/copyright is missing; the .deb will lack it")
    endif()
  endforeach()
  # cpp-httplib's header comes from the source package install-deps.sh unpacked, not from an
  # installed package: its debian/copyright, else the notice at the top of the header itself.
  set(httplib ${DOGWATCH_THIRD_PARTY}/../apt/cpp-httplib/debian/copyright)
  if(EXISTS ${httplib})
    file(COPY_FILE ${httplib} ${dir}/cpp-httplib)
  else()
    file(STRINGS ${DOGWATCH_THIRD_PARTY}/httplib.h head LIMIT_COUNT 6)
    list(JOIN head "\n" head)
    file(WRITE ${dir}/cpp-httplib "${head}\n")
  endif()
endfunction()

# Writes the copyright file (Debian's machine-readable format 1.0) from LICENSE, and the notices.
function(dogwatch_write_copyright out third_party_dir)
  file(READ ${CMAKE_SOURCE_DIR}/LICENSE license)
  string(REGEX MATCH "Copyright \\(c\\) ([^\n]+)" _ "${license}")
  set(holder "${CMAKE_MATCH_1}")
  # The text after the title and copyright lines, each line indented, blank lines as " .".
  string(REGEX REPLACE "^.*All rights reserved\\.\n\n" "" body "${license}")
  string(STRIP "${body}" body)
  string(REGEX REPLACE "\n\n" "\n.\n" body "${body}")
  string(REGEX REPLACE "\n" "\n " body "${body}")
  _dogwatch_third_party_notices(${third_party_dir})
  file(GLOB notices RELATIVE ${third_party_dir} ${third_party_dir}/*)
  list(SORT notices)
  list(JOIN notices ", " notices)
  file(WRITE ${out}
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: dogwatch
Source: ${DOGWATCH_HOMEPAGE}
Comment: /usr/bin/dogwatch is statically linked. It contains code from these Debian source
 packages, under their own licenses; their copyright files are in /usr/share/doc/dogwatch/third-party/:
 ${notices}.

Files: *
Copyright: ${holder}
License: BSD-3-clause

License: BSD-3-clause
 ${body}
")
endfunction()
