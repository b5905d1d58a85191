// Stamp module
