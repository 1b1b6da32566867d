// Overloaded{lambdas...}: one visitor from several lambdas, for std::visit. Header-only.
#pragma once

namespace dogwatch {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace dogwatch
