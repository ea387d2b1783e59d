#include "app/cli.hpp"

int main(int argc, char** argv) {
    return vigil::vigil_main(argc, argv);
}
