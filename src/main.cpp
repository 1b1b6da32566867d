// dogwatch: argv to the command line. The last place an unexpected exception is caught.
#include <exception>
#include <iostream>

#include "dogwatch/cli/cli.h"

int main(int argc, char** argv) {
  try {
    return dogwatch::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "dogwatch: internal error: " << e.what() << "\n";
    return 1;
  }
}
