#pragma once
namespace sambat {
inline constexpr const char* kVersion = "0.1.0";
}
