// `user add|passwd|disable|list` and `token create`: local users of the queue and bearer
// tokens for machine clients.
#pragma once

#include <string>

namespace sambat::daemon {

int UserAdd(const std::string& config_path, const std::string& name, const std::string& role,
            const std::string& password_file);
int UserPasswd(const std::string& config_path, const std::string& name, const std::string& password_file);
int UserDisable(const std::string& config_path, const std::string& name);
int UserList(const std::string& config_path);
// Prints the token once, alone on the last line; only its SHA-256 is stored.
int TokenCreate(const std::string& config_path, const std::string& name, const std::string& role);

}  // namespace sambat::daemon
