// Digests are defined once, in the Hashing module; PKI's users see them as before.
@_exported import Hashing
