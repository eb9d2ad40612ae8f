#include "daemon/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/version.h"

namespace sambat::daemon {
namespace {

constexpr const char* kDefaultConfig = "/etc/sambatd/sambatd.yaml";

int CheckConfig(const std::string& path) {
  auto loaded = config::LoadConfigFile(path);
  for (const auto& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
  if (!loaded.ok()) return 1;
  std::cout << path << ": OK\n";
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"sambatd: captures citizen complaints from social media for Lapor dan SambatMasBup"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("sambatd ") + kVersion);
  std::string config_path = kDefaultConfig;
  app.add_option("-c,--config", config_path, "configuration file")->capture_default_str();

  auto* run = app.add_subcommand("run", "run the daemon (as systemd starts it)");
  auto* check = app.add_subcommand("check-config", "validate the configuration file and exit");
  for (auto* sub : {run, check}) {
    sub->set_version_flag("--version", std::string("sambatd ") + kVersion);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*run) return RunDaemon(config_path);
  if (*check) return CheckConfig(config_path);
  return 2;
}

}  // namespace sambat::daemon
