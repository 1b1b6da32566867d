#include "http/request_head.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <iterator>
#include <random>
#include <string>

using namespace dogwatch::http_internal;

namespace {

HeadStatus Parse(const std::string& text, RequestHead& head) {
  size_t scanned = 0;
  return ParseRequestHead(text, scanned, head);
}

}  // namespace

TEST_CASE("request head: a plain GET is parsed into method, target, version and fields") {
  RequestHead head;
  std::string text =
      "GET /ping/abc?rid=1 HTTP/1.1\r\nHost: x\r\nUser-Agent:  curl/8 \t\r\n\r\nNEXT";
  REQUIRE(Parse(text, head) == HeadStatus::kComplete);
  CHECK(head.method == "GET");
  CHECK(head.target == "/ping/abc?rid=1");
  CHECK(head.version == "HTTP/1.1");
  CHECK(head.size == text.size() - 4);
  REQUIRE(head.fields.size() == 2);
  REQUIRE(head.Find("user-agent"));
  CHECK(*head.Find("USER-AGENT") == "curl/8");  // trimmed both sides, as cpp-httplib does
  CHECK(head.Find("Accept") == nullptr);
}

TEST_CASE("request head: fields follow cpp-httplib's rules") {
  struct Case {
    std::string field_lines;
    const char* name;
    const char* value;  // nullptr: absent
  };
  const Case cases[] = {
      {"A: 1\r\nA: 2\r\n", "A", "1"},       // the first occurrence wins
      {"Empty:\r\n", "Empty", nullptr},     // an empty value drops the field
      {"Empty:   \r\n", "Empty", nullptr},  // so does one of only spaces
      {"NoColon\r\n", "NoColon", nullptr},  // no ':' drops the line
      {"Name : v\r\n", "Name", nullptr},    // the name is not trimmed
      {"X:a:b\r\n", "X", "a:b"},            // the value keeps later colons
      {"X-Ws:\tv v\r\n", "X-Ws", "v v"},    // leading tabs go, inner spaces stay
  };
  for (const auto& c : cases) {
    CAPTURE(c.field_lines);
    RequestHead head;
    const std::string text = "GET / HTTP/1.1\r\n" + c.field_lines + "\r\n";  // head views it
    REQUIRE(Parse(text, head) == HeadStatus::kComplete);
    const std::string_view* v = head.Find(c.name);
    if (c.value == nullptr) {
      CHECK(v == nullptr);
    } else {
      REQUIRE(v);
      CHECK(*v == c.value);
    }
  }
}

TEST_CASE("request head: anything but the strict form is unusual (cpp-httplib decides)") {
  const char* cases[] = {
      "GET /  HTTP/1.1\r\n\r\n",          // two spaces
      "GET / HTTP/1.1 extra\r\n\r\n",     // four tokens
      "GET /\r\n\r\n",                    // two tokens
      "GET\t/ HTTP/1.1\r\n\r\n",          // a tab
      "\r\nGET / HTTP/1.1\r\n\r\n",       // an empty line first
      "GET / HTTP/1.1\n\n",               // bare LF ends the request line
      "GET / HTTP/1.1\r\nHost: x\n\r\n",  // bare LF ends a field
  };
  for (const char* text : cases) {
    CAPTURE(text);
    RequestHead head;
    CHECK(Parse(text, head) == HeadStatus::kUnusual);
  }
  RequestHead head;
  const char with_nul[] = "GET /a\0b HTTP/1.1\r\n\r\n";
  CHECK(Parse(std::string(with_nul, sizeof with_nul - 1), head) == HeadStatus::kUnusual);
}

TEST_CASE("request head: a head that is not finished asks for more") {
  RequestHead head;
  for (const char* text : {"", "G", "GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\n",
                           "GET / HTTP/1.1\r\nHost: x\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r"}) {
    CAPTURE(text);
    CHECK(Parse(text, head) == HeadStatus::kIncomplete);
  }
}

TEST_CASE("request head: fed a byte at a time, it finds the same head") {
  std::string text = "POST /ping/k/slug HTTP/1.1\r\nContent-Length: 4\r\nX: y\r\n\r\nbody";
  RequestHead head;
  size_t scanned = 0;
  HeadStatus status = HeadStatus::kIncomplete;
  size_t fed = 0;
  while (status == HeadStatus::kIncomplete && fed < text.size()) {
    ++fed;
    status = ParseRequestHead(std::string_view(text).substr(0, fed), scanned, head);
  }
  REQUIRE(status == HeadStatus::kComplete);
  CHECK(fed == text.size() - 4);
  CHECK(head.size == fed);
  CHECK(head.method == "POST");
  REQUIRE(head.Find("content-length"));
  CHECK(*head.Find("content-length") == "4");
}

TEST_CASE("request head: over 8 KiB of request line is 414, of fields 431, decided early") {
  RequestHead head;
  std::string line = "GET /" + std::string(8192 - 16, 'a') + " HTTP/1.1\r\n";  // 8192 in all
  REQUIRE(line.size() == 8192);
  CHECK(Parse(line + "\r\n", head) == HeadStatus::kComplete);
  std::string longer = "GET /" + std::string(8192 - 15, 'a') + " HTTP/1.1\r\n";
  CHECK(Parse(longer + "\r\n", head) == HeadStatus::kUriTooLong);
  CHECK(Parse(std::string(8192, 'a'), head) == HeadStatus::kUriTooLong);  // no LF yet
  CHECK(Parse(std::string(8191, 'a'), head) == HeadStatus::kIncomplete);

  std::string field = "X: " + std::string(8192 - 7, 'b') + "\r\n";  // with the blank line: 8192
  CHECK(Parse("GET / HTTP/1.1\r\n" + field + "\r\n", head) == HeadStatus::kComplete);
  std::string bigger = "X: " + std::string(8192 - 6, 'b') + "\r\n";
  CHECK(Parse("GET / HTTP/1.1\r\n" + bigger + "\r\n", head) == HeadStatus::kHeadersTooLarge);
  CHECK(Parse("GET / HTTP/1.1\r\nX: " + std::string(9000, 'b'), head) ==
        HeadStatus::kHeadersTooLarge);
}

TEST_CASE("request head: fields read the same as through cpp-httplib's own reader (randomised)") {
  // The front and the handed-off path must see the same header values: compare with
  // cpp-httplib's read_headers() and get_header_value() on a few thousand random heads.
  const char* names[] = {"Host", "User-Agent", "user-AGENT", "Connection",
                         "X-A",  "X-A ",       " X-A",       "Content-Length",
                         ""};
  const char* values[] = {"",      " ",   "v",     " v ",    "\tv\t", "a:b",
                          "a%20b", "%zz", "close", "x y  z", ":",     "\t"};
  const char* lookups[] = {"Host", "user-agent", "connection", "x-a", "content-length"};
  std::mt19937 rng(4);
  for (int round = 0; round < 3000; ++round) {
    std::string fields;
    for (unsigned n = rng() % 6; n > 0; --n) {
      fields += names[rng() % std::size(names)];
      if (rng() % 8 != 0) fields += ':';
      fields += values[rng() % std::size(values)];
      fields += "\r\n";
    }
    fields += "\r\n";
    CAPTURE(fields);
    RequestHead head;
    const std::string text = "GET /ping/x HTTP/1.1\r\n" + fields;  // head views it
    REQUIRE(Parse(text, head) == HeadStatus::kComplete);
    httplib::detail::BufferStream stream;
    stream.write(fields.data(), fields.size());
    httplib::Headers theirs;
    REQUIRE(httplib::detail::read_headers(stream, theirs));
    for (const char* name : lookups) {
      CAPTURE(std::string(name));
      const std::string_view* mine = head.Find(name);
      REQUIRE((mine != nullptr) == httplib::detail::has_header(theirs, name));
      if (mine) {
        CHECK(httplib::detail::decode_url(std::string(*mine), false) ==
              std::string(httplib::detail::get_header_value(theirs, name, 0, "")));
      }
    }
  }
}
