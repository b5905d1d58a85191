// Authority module
