// `sambatd recap --month YYYY-MM [--format csv|json|xlsx] [--output FILE]`: the monthly recap.
#pragma once

#include <string>

namespace sambat::daemon {

struct RecapCommandOptions {
  std::string month;            // YYYY-MM, a WIB month
  std::string format = "csv";   // csv | json | xlsx
  std::string output = {};      // empty: stdout (not for xlsx)
};

// Prints the recap or writes it to `output`; 0 on success, 2 for a bad month or format, 1 when
// the database cannot be read or the file written. Messages in Bahasa Indonesia on stderr.
int RecapCommand(const std::string& config_path, const RecapCommandOptions& options);

}  // namespace sambat::daemon
