// graph-emulator: a Microsoft Graph and Entra token endpoint test double on loopback HTTPS.
//   graph-emulator --scenario FILE --state-dir DIR [--port N]
// Writes DIR/emulator.env (URL=..., CA_FILE=...) once it listens, for scripts; stops on SIGINT or SIGTERM.
#include "emulator.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    std::string scenario_file;
    std::string state_dir;
    unsigned short port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--scenario")
            scenario_file = argv[i + 1];
        else if (flag == "--state-dir")
            state_dir = argv[i + 1];
        else if (flag == "--port")
            port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    }
    if (scenario_file.empty() || state_dir.empty()) {
        std::cerr << "usage: graph-emulator --scenario FILE --state-dir DIR [--port N]\n";
        return 2;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
    try {
        vigil::emulator::GraphEmulator emulator({state_dir, vigil::emulator::Scenario::load(scenario_file), port});
        std::ofstream(state_dir + "/emulator.env")
            << "URL=" << emulator.base_url() << "\nCA_FILE=" << emulator.ca_file() << "\n";
        std::cout << "graph-emulator listening on " << emulator.base_url() << " (CA " << emulator.ca_file() << ")"
                  << std::endl;
        int signal = 0;
        sigwait(&signals, &signal);
    } catch (const std::exception& failure) {
        std::cerr << "graph-emulator: " << failure.what() << "\n";
        return 1;
    }
    return 0;
}
