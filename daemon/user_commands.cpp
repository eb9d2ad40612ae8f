#include "daemon/user_commands.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "base/clock.h"
#include "base/secret.h"
#include "config/config.h"
#include "daemon/queue_json.h"
#include "daemon/setup.h"
#include "db/sqlite_store.h"
#include "web/credentials.h"

namespace sambat::daemon {
namespace {

struct Opened {
  SystemClock clock;
  std::unique_ptr<db::SqliteStore> store;
};

std::unique_ptr<Opened> Open(const std::string& config_path) {
  auto config = LoadConfigOrPrint(config_path);
  if (!config) return nullptr;
  if (sodium_init() < 0) {
    std::cerr << "libsodium could not initialise\n";
    return nullptr;
  }
  auto o = std::make_unique<Opened>();
  auto s = db::SqliteStore::Open(config->database, &o->clock);
  if (!s.ok()) {
    std::cerr << s.status().message() << "\n";
    return nullptr;
  }
  o->store = std::move(*s);
  return o;
}

std::string ReadLine(bool echo) {
  termios old{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty && !echo) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty && !echo) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// From --password-file, else asked twice on a terminal, else one line of stdin.
std::optional<std::string> Password(const std::string& file) {
  if (!file.empty()) {
    auto s = ReadSecretFile(file, nullptr);
    if (!s.ok()) {
      std::cerr << s.status().message() << "\n";
      return std::nullopt;
    }
    return s->Reveal();
  }
  if (!isatty(STDIN_FILENO)) return ReadLine(true);
  std::cerr << "Kata sandi: ";
  std::string a = ReadLine(false);
  std::cerr << "Ulangi kata sandi: ";
  std::string b = ReadLine(false);
  if (a != b) {
    std::cerr << "Kata sandi tidak sama.\n";
    return std::nullopt;
  }
  return a;
}

// The Argon2id hash of a password from --password-file or the terminal; errors are printed.
std::optional<std::string> NewPasswordHash(const std::string& file) {
  auto pw = Password(file);
  if (!pw) return std::nullopt;
  auto hash = web::HashPassword(*pw);
  if (!hash.ok()) {
    std::cerr << hash.status().message() << "\n";
    return std::nullopt;
  }
  return *hash;
}

int Report(const Status& s, const std::string& done) {
  if (!s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << done << "\n";
  return 0;
}

}  // namespace

int UserAdd(const std::string& config_path, const std::string& name, const std::string& role, const std::string& file) {
  auto o = Open(config_path);
  if (!o) return 1;
  auto hash = NewPasswordHash(file);
  if (!hash) return 1;
  return Report(o->store->CreateUser(name, *hash, role), "Pengguna " + name + " (" + role + ") dibuat.");
}

int UserPasswd(const std::string& config_path, const std::string& name, const std::string& file) {
  auto o = Open(config_path);
  if (!o) return 1;
  auto hash = NewPasswordHash(file);
  if (!hash) return 1;
  return Report(o->store->SetPassword(name, *hash), "Kata sandi " + name + " diganti.");
}

int UserDisable(const std::string& config_path, const std::string& name) {
  auto o = Open(config_path);
  if (!o) return 1;
  return Report(o->store->DisableUser(name), "Pengguna " + name + " dinonaktifkan.");
}

int UserList(const std::string& config_path) {
  auto o = Open(config_path);
  if (!o) return 1;
  auto users = o->store->ListUsers();
  if (!users.ok()) return Report(users.status(), "");
  for (const auto& u : *users) {
    std::cout << u.username << "\t" << u.role << "\t" << (u.disabled ? "nonaktif" : "aktif") << "\t"
              << IsoTime(u.created_at) << "\n";
  }
  std::cout << users->size() << " pengguna\n";
  return 0;
}

int TokenCreate(const std::string& config_path, const std::string& name, const std::string& role) {
  auto o = Open(config_path);
  if (!o) return 1;
  web::NewToken t = web::MakeApiToken();
  Status s = o->store->CreateApiToken(name, t.sha256_hex, role);
  if (!s.ok()) return Report(s, "");
  std::cout << "Token " << name << " (" << role << ") dibuat. Simpan sekarang: token ini tidak ditampilkan lagi.\n"
            << t.token << "\n";
  return 0;
}

}  // namespace sambat::daemon
