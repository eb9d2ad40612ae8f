// Boost.Asio and Boost.Beast compiled once, here, instead of in every file that includes them
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set project-wide).
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
