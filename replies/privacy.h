// Replies are public: the complainant's phone number, e-mail, NIK or address must never
// appear in one. Text that comes from elsewhere (the OPD's answer, a return reason) is
// redacted before it goes into a template, and every finished reply is checked again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sambat::replies {

// `text` with phone numbers, e-mail addresses, 16-digit NIKs and each of `known` (the
// complainant's name and address as stored, compared case-insensitively, six characters or
// more) replaced by "[disamarkan]".
std::string RedactPersonalData(std::string_view text, const std::vector<std::string>& known);

// What personal data `text` contains, in words for Admin Utama ("nomor telepon", "alamat
// pemohon", …); empty when none. Numbers in `allowed` (the SOP's own WhatsApp number) pass.
std::vector<std::string> PersonalDataFound(std::string_view text, const std::vector<std::string>& known,
                                           const std::vector<std::string>& allowed);

}  // namespace sambat::replies
