#include "base/secret.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sambat {

std::string ResolveSecretPath(const std::string& name) {
  const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
  if (creds != nullptr && *creds != '\0' && name.find('/') == std::string::npos) {
    return std::string(creds) + "/" + name;
  }
  return name;
}

Result<Secret> ReadSecretFile(const std::string& name, std::vector<std::string>* warnings) {
  const std::string path = ResolveSecretPath(name);
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    return Status::NotFound("secret file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument("secret file " + path + " is not a regular file");
  if ((st.st_mode & 077) != 0 && warnings != nullptr) {
    warnings->push_back("secret file " + path +
                        " is readable by group or others; run: chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read secret file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string value = buf.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.empty()) return Status::InvalidArgument("secret file " + path + " is empty");
  return Secret(std::move(value));
}

}  // namespace sambat
