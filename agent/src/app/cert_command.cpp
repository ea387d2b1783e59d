#include "app/cert_command.hpp"

#include "crypto/certificate.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace vigil {

namespace {

void write_file(const std::string& path, const std::string& content, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::generic_category().message(errno));
    const ssize_t written = ::write(fd, content.data(), content.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(content.size())) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int command_cert_generate(const std::string& out_dir, int days) {
    namespace fs = std::filesystem;
    const std::string key_path = (fs::path(out_dir) / "vigil-app.key").string();
    const std::string pem_path = (fs::path(out_dir) / "vigil-app.crt").string();
    const std::string der_path = (fs::path(out_dir) / "vigil-app.cer").string();
    for (const auto& path : {key_path, pem_path, der_path}) {
        if (fs::exists(path)) {
            std::cerr << "vigil: " << path << " exists already: move it away or choose another --out\n";
            return 2;
        }
    }
    try {
        fs::create_directories(out_dir);
        const crypto::Key key = crypto::generate_rsa_key(2048);
        crypto::CertificateRequest request;
        request.common_name = "Vigil Entra ID auditing";
        request.days = days;
        const crypto::Certificate certificate = crypto::issue_certificate(request, key.get(), key.get(), nullptr);
        write_file(key_path, crypto::key_to_pem(key.get()), 0600);  // the private key never leaves this host
        write_file(pem_path, crypto::certificate_to_pem(certificate.get()), 0644);
        write_file(der_path, crypto::certificate_to_der(certificate.get()), 0644);
        std::cout << "private key:  " << key_path << " (keep it here; reference it as certificate.key)\n"
                  << "certificate:  " << pem_path << " (reference it as certificate.cert)\n"
                  << "upload:       " << der_path << " (Entra admin center > App registrations > your app > "
                  << "Certificates & secrets > Certificates > Upload certificate)\n"
                  << "valid for:    " << days << " days\n"
                  << "SHA-1 thumbprint (shown by the portal): "
                  << crypto::to_hex_upper(crypto::certificate_digest(certificate.get(), EVP_sha1())) << "\n"
                  << "SHA-256 thumbprint: "
                  << crypto::to_hex_upper(crypto::certificate_digest(certificate.get(), EVP_sha256())) << "\n";
        return 0;
    } catch (const std::exception& failure) {
        std::cerr << "vigil: cert generate failed: " << failure.what() << "\n";
        return 1;
    }
}

}  // namespace vigil
