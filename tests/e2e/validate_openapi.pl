#!/usr/bin/perl
# validate_openapi.pl FILE: validates an OpenAPI 3.0 document with JSON::Validator (Debian's
# libjson-validator-perl); prints each error and exits 1 when there is any.
use strict;
use warnings;
use JSON::Validator::Schema::OpenAPIv3;

my $file = shift or die "usage: validate_openapi.pl FILE\n";
my $schema = JSON::Validator::Schema::OpenAPIv3->new($file);
my @errors = @{$schema->errors};
print "$_\n" for @errors;
print "valid OpenAPI 3.0 document\n" unless @errors;
exit(@errors ? 1 : 0);
