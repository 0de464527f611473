import { describe, expect, it } from 'vitest';
import { parseFile } from './helpers/parse-file';

const MANUAL = `# This file is in POD; perldoc renders it.

=encoding utf-8

=head1 NAME

Garden::Beds - plan raised beds

=head1 SYNOPSIS

    use Garden::Beds;
    my $bed = Garden::Beds->new(width => 4);

    $bed->plant('tomato');

=head1 METHODS

=over 4

=item new

Makes a bed. See L<Garden::Soil/"Drainage"> and L<the guide|https://example.com/beds>.
Use C<< $bed->width <=> $other->width >> to compare, B<never> I<water> at noon;
the file is F<beds.conf>. X<bed>E<gt> done.

=item *

Second point, with S<no break>.

=back

=begin html

<p>Only for the web.</p>

=end html

=cut

sub new { }
`;

const parse = (text: string) => parseFile(text, 'Beds.pod');

describe('POD documentation', () => {
  it('is titled by its NAME line and written as Markdown: headings, code, items and formatting codes', async () => {
    const parsed = await parse(MANUAL);
    expect(parsed.title).toBe('Garden::Beds - plan raised beds');
    expect(parsed.format).toBe('markdown');
    expect(parsed.text).toBe(
      [
        '# NAME',
        'Garden::Beds - plan raised beds',
        '# SYNOPSIS',
        "```\nuse Garden::Beds;\nmy $bed = Garden::Beds->new(width => 4);\n\n$bed->plant('tomato');\n```",
        '# METHODS',
        '- new',
        'Makes a bed. See Garden::Soil › Drainage and [the guide](https://example.com/beds). ' +
          'Use `$bed->width <=> $other->width` to compare, **never** *water* at noon; ' +
          'the file is *beds.conf*. > done.',
        '- Second point, with no break.',
      ].join('\n\n'),
    );
  });

  it('keeps a code never closed as written', async () => {
    expect((await parse('=pod\n\nUse C<init to start.\n')).text).toBe('Use C<init to start.');
  });
});
