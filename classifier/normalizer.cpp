#include "classifier/normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace sambat::classifier {
namespace {

constexpr size_t kMaxHashtagSplit = 64;  // longer tags are kept whole (bounded DP)


bool StartsWithCI(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Decodes an HTML entity at s[at] ('&'); returns its code point and length, or -1.
int32_t DecodeEntity(std::string_view s, size_t at, size_t* len) {
  static constexpr std::array<std::pair<std::string_view, int32_t>, 7> kNamed = {{
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''},
      {"&nbsp;", ' '}, {"&#39;", '\''}}};
  for (const auto& [name, cp] : kNamed) {
    if (StartsWithCI(s, at, name)) {
      *len = name.size();
      return cp;
    }
  }
  if (at + 3 < s.size() && s[at + 1] == '#') {
    size_t i = at + 2;
    int base = 10;
    if (s[i] == 'x' || s[i] == 'X') {
      base = 16;
      ++i;
    }
    int64_t v = 0;
    size_t digits = 0;
    while (i < s.size() && digits < 7) {
      char c = s[i];
      int d = (c >= '0' && c <= '9') ? c - '0'
              : (base == 16 && c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (base == 16 && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) break;
      v = v * base + d;
      ++i;
      ++digits;
    }
    if (digits > 0 && i < s.size() && s[i] == ';' && v > 0 && v <= 0x10FFFF) {
      *len = i + 1 - at;
      return static_cast<int32_t>(v);
    }
  }
  return -1;
}

// Calls `emit(cp, begin, end)` for every code point of `s`: invalid UTF-8 bytes become
// U+FFFD (one per byte), HTML entities are decoded, URLs are skipped.
template <typename Emit>
void Decode(std::string_view s, Emit&& emit) {
  size_t i = 0;
  bool at_word_start = true;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (at_word_start && (b == 'h' || b == 'H' || b == 'w' || b == 'W') &&
        (StartsWithCI(s, i, "http://") || StartsWithCI(s, i, "https://") || StartsWithCI(s, i, "www."))) {
      while (i < s.size() && !(s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
      continue;
    }
    if (b == '&') {
      size_t len = 0;
      int32_t cp = DecodeEntity(s, i, &len);
      if (cp >= 0) {
        emit(cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len));
        at_word_start = cp == ' ';
        i += len;
        continue;
      }
    }
    if (b < 0x80) {  // ASCII: no decoding needed
      emit(static_cast<int32_t>(b), static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1));
      at_word_start = b == ' ' || b == '\n' || b == '\t' || b == '(' || b == '"';
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                          static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      cp = 0xFFFD;
      n = 1;
    }
    emit(cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n));
    at_word_start = false;
    i += static_cast<size_t>(n);
  }
}

bool IsWordChar(int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
  auto cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool IsLetter(int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

// A token being built: its folded code points and their original ranges.
struct RawToken {
  std::string text;                 // UTF-8
  std::vector<uint32_t> ob, oe;     // per byte of text
  char sigil = 0;                   // '@' or '#'
  int32_t last_cp = -1;
  int run = 0;                      // how many times last_cp repeats at the end
};

void AppendCp(RawToken* t, int32_t cp, uint32_t ob, uint32_t oe) {
  if (cp == t->last_cp && IsLetter(cp)) {
    ++t->run;
    if (t->run >= 3) {  // rusaaak → rusak: a third repeat is dropped, and the second undone
      if (t->run == 3) {
        // remove the second copy already appended
        utf8proc_uint8_t buf[4];
        auto n = utf8proc_encode_char(cp, buf);
        t->text.resize(t->text.size() - n);
        t->ob.resize(t->ob.size() - n);
        t->oe.resize(t->oe.size() - n);
      }
      if (!t->oe.empty()) {  // stretch the kept letter over the dropped ones
        utf8proc_uint8_t buf[4];
        auto n = utf8proc_encode_char(cp, buf);
        for (size_t k = t->oe.size() - n; k < t->oe.size(); ++k) t->oe[k] = oe;
      }
      return;
    }
  } else {
    t->last_cp = cp;
    t->run = 1;
  }
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  for (utf8proc_ssize_t k = 0; k < n; ++k) {
    t->text.push_back(static_cast<char>(buf[k]));
    t->ob.push_back(ob);
    t->oe.push_back(oe);
  }
}

}  // namespace

std::string RepairUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                          static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, static_cast<size_t>(n));
      i += static_cast<size_t>(n);
    }
  }
  return out;
}

size_t NormalizedText::TokenAt(uint32_t pos) const {
  auto it = std::upper_bound(tokens.begin(), tokens.end(), pos,
                             [](uint32_t p, const Token& t) { return p < t.begin; });
  return it == tokens.begin() ? 0 : static_cast<size_t>(it - tokens.begin() - 1);
}

Normalizer::Normalizer(SlangMap slang, std::unordered_set<std::string> vocabulary)
    : slang_(std::move(slang)), vocabulary_(std::move(vocabulary)) {
  for (const auto& w : vocabulary_) longest_word_ = std::max(longest_word_, w.size());
  longest_word_ = std::min<size_t>(longest_word_, 24);
}

void Normalizer::SplitHashtag(std::string_view body, std::vector<std::string>* words) const {
  const size_t n = body.size();
  if (n == 0) return;
  if (n <= kMaxHashtagSplit && vocabulary_.count(std::string(body)) == 0) {
    // Fewest known words covering the whole tag; O(n * longest word).
    constexpr int kInf = 1 << 20;
    std::vector<int> best(n + 1, kInf), prev(n + 1, -1);
    best[0] = 0;
    for (size_t i = 0; i < n; ++i) {
      if (best[i] == kInf) continue;
      for (size_t len = 2; len <= longest_word_ && i + len <= n; ++len) {
        if (best[i] + 1 < best[i + len] && vocabulary_.count(std::string(body.substr(i, len)))) {
          best[i + len] = best[i] + 1;
          prev[i + len] = static_cast<int>(i);
        }
      }
    }
    if (best[n] != kInf && best[n] > 1) {
      std::vector<std::string> parts;
      for (size_t at = n; at > 0; at = static_cast<size_t>(prev[at])) {
        parts.emplace_back(body.substr(prev[at], at - prev[at]));
      }
      words->insert(words->end(), parts.rbegin(), parts.rend());
      return;
    }
  }
  words->emplace_back(body);
}

NormalizedText Normalizer::Normalize(std::string_view original) const {
  NormalizedText out;
  out.text.reserve(original.size());
  out.orig_begin.reserve(original.size());
  out.orig_end.reserve(original.size());

  auto emit_word = [&](std::string_view word, uint32_t ob, uint32_t oe,
                       const std::vector<uint32_t>* per_byte_ob, const std::vector<uint32_t>* per_byte_oe) {
    if (word.empty()) return;
    if (!out.text.empty()) {
      out.text.push_back(' ');
      out.orig_begin.push_back(ob);
      out.orig_end.push_back(ob);
    }
    Token t;
    t.begin = static_cast<uint32_t>(out.text.size());
    for (size_t k = 0; k < word.size(); ++k) {
      out.text.push_back(word[k]);
      out.orig_begin.push_back(per_byte_ob ? (*per_byte_ob)[k] : ob);
      out.orig_end.push_back(per_byte_oe ? (*per_byte_oe)[k] : oe);
    }
    t.end = static_cast<uint32_t>(out.text.size());
    out.tokens.push_back(t);
  };

  RawToken tok;
  auto reset = [&] {
    tok.text.clear();
    tok.ob.clear();
    tok.oe.clear();
    tok.sigil = 0;
    tok.last_cp = -1;
    tok.run = 0;
  };
  std::vector<std::string> words;
  auto emit_mapped = [&](std::string_view w, uint32_t ob, uint32_t oe, bool exact_map) {
    auto it = slang_.find(std::string(w));
    if (it != slang_.end()) {
      // The replacement may be several words; all point at the original token.
      const std::string& rep = it->second;
      size_t start = 0;
      while (start < rep.size()) {
        size_t sp = rep.find(' ', start);
        if (sp == std::string::npos) sp = rep.size();
        emit_word(std::string_view(rep).substr(start, sp - start), ob, oe, nullptr, nullptr);
        start = sp + 1;
      }
    } else if (exact_map) {
      emit_word(w, ob, oe, &tok.ob, &tok.oe);  // exact per-byte map for plain words
    } else {
      emit_word(w, ob, oe, nullptr, nullptr);
    }
  };
  auto flush = [&] {
    if (tok.text.empty()) {
      reset();
      return;
    }
    const uint32_t ob = tok.ob.front(), oe = tok.oe.back();
    if (tok.sigil == '@') {
      emit_word("@" + tok.text, ob, oe, nullptr, nullptr);
    } else if (tok.sigil == '#') {
      words.clear();
      SplitHashtag(tok.text, &words);
      for (const auto& w : words) emit_mapped(w, ob, oe, false);
    } else {
      emit_mapped(tok.text, ob, oe, true);
    }
    reset();
  };

  auto take = [&](int32_t cp, uint32_t ob, uint32_t oe) {
    if (IsWordChar(cp)) {
      AppendCp(&tok, cp, ob, oe);
    } else if ((cp == '@' || cp == '#') && tok.text.empty() && tok.sigil == 0) {
      tok.sigil = static_cast<char>(cp);
    } else if (cp == '\'' && !tok.text.empty()) {
      // "jl'an", "dgn'": apostrophes inside words are dropped, not split on
    } else {
      flush();
    }
  };
  Decode(original, [&](int32_t cp, uint32_t ob, uint32_t oe) {
    if (cp < 0x80) {  // fast path: ASCII needs only lowercasing
      take(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp, ob, oe);
      return;
    }
    // NFKC-style compatibility mapping + case folding, per code point; default-ignorable
    // characters (zero-width joiners, BOM, ...) vanish; accents are stripped.
    utf8proc_int32_t mapped[16];
    int last_boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, mapped, 16,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
                                       UTF8PROC_STRIPMARK | UTF8PROC_STRIPCC),
        &last_boundclass);
    if (n < 0 || n > 16) {
      flush();
      return;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) take(mapped[k], ob, oe);
  });
  flush();
  out.orig_begin.shrink_to_fit();
  return out;
}

}  // namespace sambat::classifier
