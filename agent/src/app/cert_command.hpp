#pragma once

#include <string>

namespace vigil {

// `vigil cert generate --out DIR [--days N]`: an RSA key (0600) and a self-signed certificate to upload to the app
// registration (the seed product's "Download Certificate" step). Prints where the files are and both thumbprints.
// Returns the exit code.
int command_cert_generate(const std::string& out_dir, int days);

}  // namespace vigil
