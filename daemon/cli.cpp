#include "daemon/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "config/config.h"
#include "daemon/backup_command.h"
#include "daemon/daemon.h"
#include "daemon/poll_command.h"
#include "daemon/recap_command.h"
#include "daemon/restore_command.h"
#include "daemon/retention_commands.h"
#include "daemon/rules_commands.h"
#include "daemon/user_commands.h"
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

  auto* rules = app.add_subcommand("rules", "check or test rule files offline");
  rules->require_subcommand(1);
  std::string rules_path;
  auto* rules_check = rules->add_subcommand("check", "validate rule files: every problem with file:line:col");
  auto* rules_test = rules->add_subcommand("test", "run every rule's examples");
  for (auto* sub : {rules_check, rules_test}) sub->add_option("PATH", rules_path, "rules folder or file (default: from the config)");

  auto* classify = app.add_subcommand("classify", "explain how a post is classified (TEXT, or stdin)");
  std::string text;
  bool jsonl = false, json = false;
  classify->add_option("--rules", rules_path, "rules folder or file (default: from the config)");
  classify->add_option("TEXT", text, "the post; read from stdin when absent");
  classify->add_flag("--jsonl", jsonl, "read {\"id\",\"text\"} lines on stdin, write one JSON result per line");
  classify->add_flag("--json", json, "print the full result as JSON instead of the explanation");

  auto* evaluate = app.add_subcommand("evaluate", "score the rules on a labelled JSONL file");
  std::string eval_file;
  bool verbose = false;
  evaluate->add_option("--rules", rules_path, "rules folder or file (default: from the config)");
  evaluate->add_option("FILE", eval_file, "labelled JSONL: id, text, complaint, opd, kecamatan")->required();
  evaluate->add_flag("-v,--verbose", verbose, "list every mistake");

  auto* poll = app.add_subcommand("poll", "poll every enabled source and store what is new");
  bool once = false, dry_run = false;
  poll->add_flag("--once", once, "poll each endpoint once and exit")->required();
  poll->add_flag("--dry-run", dry_run, "print what was found, store nothing");

  auto* queue = app.add_subcommand("queue", "the confirmation queue");
  queue->require_subcommand(1);
  auto* queue_list = queue->add_subcommand("list", "list drafts, oldest first");
  std::string status_filter;
  bool queue_json = false;
  queue_list->add_option("--status", status_filter, "pending, confirmed, returned, rejected or duplicate")
      ->check(CLI::IsMember({"pending", "confirmed", "returned", "rejected", "duplicate"}));
  queue_list->add_flag("--json", queue_json, "print a JSON array");

  auto* user = app.add_subcommand("user", "local users of the queue");
  user->require_subcommand(1);
  std::string user_name, user_role, password_file;
  auto* user_add = user->add_subcommand("add", "create a user (Argon2id password hash)");
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password");
  auto* user_disable = user->add_subcommand("disable", "disable a user");
  auto* user_list = user->add_subcommand("list", "list users");
  for (auto* sub : {user_add, user_passwd, user_disable}) sub->add_option("NAME", user_name, "user name")->required();
  user_add->add_option("--role", user_role, "admin_utama or viewer")->required()->check(CLI::IsMember({"admin_utama", "viewer"}));
  for (auto* sub : {user_add, user_passwd}) {
    sub->add_option("--password-file", password_file, "read the password from this file (asked for when absent)");
  }
  auto* token = app.add_subcommand("token", "bearer tokens for machine clients");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "create a token; printed once, stored hashed");
  std::string token_name, token_role;
  token_create->add_option("NAME", token_name, "token name")->required();
  token_create->add_option("--role", token_role, "admin_utama, viewer or pipeline")
      ->required()->check(CLI::IsMember({"admin_utama", "viewer", "pipeline"}));

  auto* backup = app.add_subcommand("backup", "copy the database to PATH while the daemon runs (SQLite online backup)");
  std::string backup_path;
  backup->add_option("PATH", backup_path, "the new file (an existing one is refused)")->required();

  auto* recap = app.add_subcommand("recap", "the monthly recap (Rekap bulanan) of one WIB month");
  RecapCommandOptions recap_options;
  recap->add_option("--month", recap_options.month, "the month, YYYY-MM (WIB), e.g. 2026-11");
  recap->add_option("--format", recap_options.format, "csv, json or xlsx")->capture_default_str();
  recap->add_option("-o,--output", recap_options.output, "write to FILE instead of stdout (required for xlsx)");

  auto* restore = app.add_subcommand("restore", "put BACKUP in place of the database (refused while the daemon runs)");
  std::string restore_path;
  restore->add_option("BACKUP", restore_path, "a file written by sambatd backup")->required();

  auto* purge = app.add_subcommand("purge", "delete what is older than the retention (retention: in the config)");
  bool purge_dry_run = false;
  purge->add_flag("--dry-run", purge_dry_run, "only count what would be deleted");

  auto* subject = app.add_subcommand("subject", "one author's data: a copy, or its erasure (UU 27/2022)");
  subject->require_subcommand(1);
  auto* subject_export = subject->add_subcommand("export", "print everything stored about the author as JSON");
  auto* subject_erase = subject->add_subcommand("erase", "delete everything stored about the author");
  db::Subject who;
  bool erase_yes = false, erase_vacuum = false;
  for (auto* sub : {subject_export, subject_erase}) {
    sub->add_option("--platform", who.platform, "x, facebook, instagram or manual")
        ->required()
        ->check(CLI::IsMember({"x", "facebook", "instagram", "manual"}));
    sub->add_option("--author", who.author_id, "the author's id on that platform")->required();
  }
  subject_erase->add_flag("--yes", erase_yes, "confirm: the erasure cannot be undone");
  subject_erase->add_flag("--vacuum", erase_vacuum, "also rewrite the whole file (best with the daemon stopped)");

  for (auto* sub : {run, check, rules, rules_check, rules_test, classify, evaluate, poll, queue, queue_list, user, user_add,
                    user_passwd, user_disable, user_list, token, token_create, backup, restore, purge, subject,
                    subject_export, subject_erase, recap}) {
    sub->set_version_flag("--version", std::string("sambatd ") + kVersion);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*run) return RunDaemon(config_path);
  if (*check) return CheckConfig(config_path);
  if (*poll) return PollOnce(config_path, dry_run);
  if (*queue_list) return QueueList(config_path, status_filter, queue_json);
  if (*user_add) return UserAdd(config_path, user_name, user_role, password_file);
  if (*user_passwd) return UserPasswd(config_path, user_name, password_file);
  if (*user_disable) return UserDisable(config_path, user_name);
  if (*user_list) return UserList(config_path);
  if (*token_create) return TokenCreate(config_path, token_name, token_role);
  if (*backup) return Backup(config_path, backup_path);
  if (*recap) return RecapCommand(config_path, recap_options);
  if (*restore) return Restore(config_path, restore_path);
  if (*purge) return Purge(config_path, purge_dry_run);
  if (*subject_export) return SubjectExport(config_path, who);
  if (*subject_erase) return SubjectErase(config_path, who, erase_yes, erase_vacuum);

  // Offline commands: the rules path comes from --rules/PATH, else from the configuration.
  if (rules_path.empty()) {
    auto loaded = config::LoadConfigFile(config_path);
    if (!loaded.ok() || loaded.config.rules.empty()) {
      std::cerr << "no rules given: name a rules folder (e.g. --rules /etc/sambatd/rules) or a valid --config\n";
      return 2;
    }
    rules_path = loaded.config.rules;
  }
  if (*rules_check) return RulesCheck(rules_path);
  if (*rules_test) return RulesTest(rules_path);
  if (*classify) return Classify(rules_path, text, classify->count("TEXT") > 0, jsonl, json);
  if (*evaluate) return EvaluateFile(rules_path, eval_file, verbose);
  return 2;
}

}  // namespace sambat::daemon
