#include "replies/privacy.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace sambat::replies {
namespace {

constexpr std::string_view kMask = "[disamarkan]";

// Compiled once; RE2 objects are thread-safe for matching.
struct Patterns {
  // Indonesian mobile numbers (08…, +62 8…, 62 8…) and landlines with an area code
  // ((0282) 123456, 0282-533xxx), with the separators people type.
  RE2 phone{R"((?:\+?62|\b0)[ .\-]?\(?[1-9]\d{1,3}\)?(?:[ .\-]?\d){6,10}\b)"};
  RE2 email{R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"};
  RE2 nik{R"(\b\d{16}\b)"};
};

const Patterns& P() {
  static const Patterns p;
  return p;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string DigitsOf(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) d += c;
  }
  return d;
}

// Known values shorter than this are too common to mask ("RT 2").
constexpr size_t kMinKnown = 6;

// Replaces each case-insensitive occurrence of `needle` in `text` with the mask.
bool MaskKnown(std::string* text, std::string_view needle) {
  if (needle.size() < kMinKnown) return false;
  const std::string lower_needle = Lower(needle);
  bool found = false;
  size_t from = 0;
  while (true) {
    const std::string lower = Lower(*text);
    const size_t at = lower.find(lower_needle, from);
    if (at == std::string::npos) return found;
    text->replace(at, needle.size(), kMask);
    from = at + kMask.size();
    found = true;
  }
}

}  // namespace

std::string RedactPersonalData(std::string_view text, const std::vector<std::string>& known) {
  std::string out(text);
  for (const auto& k : known) MaskKnown(&out, k);
  RE2::GlobalReplace(&out, P().email, kMask);
  RE2::GlobalReplace(&out, P().nik, kMask);
  RE2::GlobalReplace(&out, P().phone, kMask);
  return out;
}

std::vector<std::string> PersonalDataFound(std::string_view text, const std::vector<std::string>& known,
                                           const std::vector<std::string>& allowed) {
  std::vector<std::string> found;
  std::string copy(text);
  for (const auto& k : known) {
    if (MaskKnown(&copy, k)) {
      found.push_back("nama atau alamat pemohon");
      break;
    }
  }
  // Phone numbers: each match, unless it is one of the allowed (official) numbers.
  re2::StringPiece rest(text);
  re2::StringPiece m;
  bool phone = false;
  while (!rest.empty() && P().phone.Match(rest, 0, rest.size(), RE2::UNANCHORED, &m, 1)) {
    const std::string digits = DigitsOf(std::string_view(m.data(), m.size()));
    const bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
      const std::string ad = DigitsOf(a);
      // 0852… and +62852… are the same number.
      auto national = [](const std::string& d) { return d.rfind("62", 0) == 0 ? "0" + d.substr(2) : d; };
      return !ad.empty() && national(ad) == national(digits);
    });
    if (!ok) phone = true;
    rest.remove_prefix(static_cast<size_t>(m.data() - rest.data()) + std::max<size_t>(m.size(), 1));
  }
  if (phone) found.push_back("nomor telepon");
  if (RE2::PartialMatch(text, P().email)) found.push_back("alamat e-mail");
  if (RE2::PartialMatch(text, P().nik)) found.push_back("NIK");
  return found;
}

}  // namespace sambat::replies
