# Installation layout and the Debian package (`cpack -G DEB` in the build folder).
#
#   /usr/bin/sambatd                              the daemon (the unit runs this path)
#   /usr/lib/systemd/system/sambatd.service       the unit, neither enabled nor started on install
#   /usr/lib/sysusers.d/sambatd.conf              the system user `sambatd`
#   /usr/lib/tmpfiles.d/sambatd.conf              /etc/sambatd, its credentials folder, /var/lib/sambatd
#   /etc/sambatd/sambatd.yaml                     the example configuration (conffile)
#   /etc/sambatd/rules/                           the default rules (conffiles: edits survive upgrades)
#   /usr/share/sambatd/rules/, sambatd.yaml       pristine copies, to compare an edited file with
#   /usr/share/doc/sambatd/                       README, docs/ (operator: Bahasa Indonesia; dev: English)
#
# `install` does not build everything first (the package needs only the sambatd target):
# build it, then run cpack. tools/check_deb.sh does both and tests the result in a Debian 12 root.

set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX "/usr" CACHE PATH "Install prefix; the unit runs /usr/bin/sambatd" FORCE)
endif()
include(GNUInstallDirs)

set(SAMBAT_ETC_DIR "/etc/sambatd")
set(SAMBAT_SHARE_DIR "${CMAKE_INSTALL_DATADIR}/sambatd")
set(SAMBAT_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/sambatd")

install(TARGETS sambatd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(FILES ${PROJECT_SOURCE_DIR}/systemd/sambatd.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/sambatd.sysusers DESTINATION lib/sysusers.d RENAME sambatd.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/sambatd.tmpfiles DESTINATION lib/tmpfiles.d RENAME sambatd.conf)

# Everything in rules/ (rule files, slang, lists, the OPD and wilayah tables, its README).
file(GLOB SAMBAT_RULE_FILES LIST_DIRECTORIES false CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/rules/*")
list(SORT SAMBAT_RULE_FILES)

install(FILES ${PROJECT_SOURCE_DIR}/systemd/sambatd.yaml DESTINATION ${SAMBAT_ETC_DIR})
install(FILES ${SAMBAT_RULE_FILES} DESTINATION ${SAMBAT_ETC_DIR}/rules)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/sambatd.yaml DESTINATION ${SAMBAT_SHARE_DIR})
install(FILES ${SAMBAT_RULE_FILES} DESTINATION ${SAMBAT_SHARE_DIR}/rules)

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${SAMBAT_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${SAMBAT_DOC_DIR} FILES_MATCHING PATTERN "*.md")

# --- Debian package -------------------------------------------------------------------------

# dpkg treats the files listed in `conffiles` as the operator's: an upgrade keeps an edited one
# (and asks, or keeps it under --force-confold), a removal keeps them, only a purge deletes them.
set(SAMBAT_CONFFILES "${SAMBAT_ETC_DIR}/sambatd.yaml\n")
foreach(f IN LISTS SAMBAT_RULE_FILES)
  get_filename_component(name "${f}" NAME)
  string(APPEND SAMBAT_CONFFILES "${SAMBAT_ETC_DIR}/rules/${name}\n")
endforeach()
file(WRITE "${PROJECT_BINARY_DIR}/deb/conffiles" "${SAMBAT_CONFFILES}")
foreach(script postinst prerm postrm)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/deb/${script}" "${PROJECT_BINARY_DIR}/deb/${script}" COPYONLY)
endforeach()

set(SAMBAT_DEB_MAINTAINER "Diskominfo Kabupaten Cilacap <sambatd@localhost>"
    CACHE STRING "Maintainer field of the .deb (set the team's real address)")

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sambatd")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${SAMBAT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "citizen complaints from social media for Lapor dan SambatMasBup")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/package")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # sambatd_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")    # cpack -D CPACK_DEBIAN_PACKAGE_RELEASE=2 for a rebuild
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# CPack writes the summary as the synopsis line and this as the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "sambatd watches the Instagram, Facebook and X accounts of Kabupaten Cilacap for
posts that mention or tag them, recognises citizen complaints (aduan) with
editable keyword rules, pre-fills the complaint entry and queues it for the
Admin Utama to confirm in a web page; confirmed complaints are handed to the
disposition pipeline.

Installing the package neither enables nor starts the service.")
# Library dependencies come from dpkg-shlibdeps; systemd provides systemd-sysusers and
# systemd-tmpfiles for the maintainer scripts, and runs the unit; procps provides the
# /bin/kill of the unit's ExecReload= (a minimal Debian root has none).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, procps")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/deb/conffiles;${PROJECT_BINARY_DIR}/deb/postinst;${PROJECT_BINARY_DIR}/deb/prerm;${PROJECT_BINARY_DIR}/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
