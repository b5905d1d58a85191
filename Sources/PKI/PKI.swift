// PKI module
