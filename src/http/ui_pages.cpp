// The web UI's files: index.html for every page route (the UI routes on the client), and
// /static/<file>. Each with a strict Content-Security-Policy and the usual hardening headers, a
// strong ETag (304 on If-None-Match), and gzip when the client takes it.
#include "dogwatch/web/assets.h"
#include "routes.h"

namespace dogwatch::http_internal {
namespace {

// No inline script or style, nothing from elsewhere: the UI is its own files and its own API.
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

void ServeAsset(const web::Asset& a, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  // The file names carry no hash, so a browser must ask each time; the ETag makes that a 304.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", std::string(a.etag));
  res.set_header("Vary", "Accept-Encoding");
  if (req.get_header_value("If-None-Match") == a.etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  // cpp-httplib gzips text, JavaScript and SVG bodies itself when the client accepts gzip.
  res.set_content(std::string(a.body), std::string(a.content_type));
}

void NotFound(httplib::Response& res) {
  res.status = 404;
  res.set_content("not found", "text/plain");
}

}  // namespace

void RegisterUiPages(httplib::Server& s) {
  auto page = [](const httplib::Request& req, httplib::Response& res) {
    const web::Asset* index = web::FindAsset("/index.html");
    if (!index) return NotFound(res);
    ServeAsset(*index, req, res);
  };
  for (const char* pattern : {"/", "/login", "/setup", "/account", R"(/projects/[^?]*)"}) s.Get(pattern, page);
  s.Get(R"(/static/([A-Za-z0-9_./-]+))", [](const httplib::Request& req, httplib::Response& res) {
    const std::string& name = req.matches[1];
    const web::Asset* a = name.find("..") == std::string::npos ? web::FindAsset("/static/" + name) : nullptr;
    if (!a) return NotFound(res);
    ServeAsset(*a, req, res);
  });
  s.Get("/favicon.ico", [](const httplib::Request& req, httplib::Response& res) {
    const web::Asset* a = web::FindAsset("/static/favicon.svg");
    if (!a) return NotFound(res);
    ServeAsset(*a, req, res);
  });
}

}  // namespace dogwatch::http_internal
