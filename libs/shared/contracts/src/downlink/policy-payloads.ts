import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { Each } from '../fields/compose';
import { UuidField } from '../fields/identifiers';
import { TextField } from '../fields/text';
import { ExpectedVersion, SPACE_TYPES } from '../occupancy/occupancy-fields';
import { SPACE_STATES } from '../occupancy/space-states';
import { BLINKS, type Blink } from './display-wish';
import { BlinkField, ColourField, ColourInput, ColourView, COUNT_TEXT_MAX, COUNT_TEXT_PATTERN } from './display-payloads';
import type { CountRule, LightRule, SignagePolicyLayer, SignagePolicyRules } from './signage-policy';

/** Signage policies over RPC: the tenant's and each site's layer over the default (see signage-policy). */

export class LightRuleInput implements LightRule {
  @ColourField('The colour shown') colour!: ColourInput;
  @BlinkField() blink!: Blink;
}

/** An optional nested rule, checked as one. */
const RuleField = (description: string) =>
  Each(
    ApiPropertyOptional({ type: LightRuleInput, description }),
    IsOptional(),
    IsObject({ message: '$property must be an object {"colour": {"red": 0, "green": 255, "blue": 0}, "blink": "steady"}' }),
    ValidateNested(),
    Type(() => LightRuleInput),
  );

/** The light for each state this layer changes. */
export class StateRulesInput implements Partial<Record<(typeof SPACE_STATES)[number], LightRule>> {
  @RuleField('A free space') free?: LightRuleInput;
  @RuleField('An occupied space') occupied?: LightRuleInput;
  @RuleField('A space reserved now') reserved?: LightRuleInput;
  @RuleField('A space in maintenance') maintenance?: LightRuleInput;
  @RuleField('A space whose state is not known') unknown?: LightRuleInput;
}

const StatesField = (description: string) =>
  Each(ApiPropertyOptional({ type: StateRulesInput, description }), IsOptional(), IsObject({ message: '$property must be an object of states, e.g. {"free": {…}}' }), ValidateNested(), Type(() => StateRulesInput));

/** Per space type, the states whose light differs from the general one. */
export class TypeRulesInput {
  @StatesField('Standard bays') standard?: StateRulesInput;
  @StatesField('Accessible bays') disabled?: StateRulesInput;
  @StatesField('EV charging bays') ev?: StateRulesInput;
  @StatesField('Motorcycle bays') motorcycle?: StateRulesInput;
  @StatesField('Loading bays') loading?: StateRulesInput;
}

export class CountRuleInput implements Partial<CountRule> {
  @ApiPropertyOptional({ type: 'integer', minimum: -9999, maximum: 9999, example: -2, description: 'Added to the free count before it is shown (negative keeps spaces back); never shown below 0' })
  @IsOptional()
  @IsInt()
  @Min(-9999)
  @Max(9999)
  offset?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 9999, example: 0, description: 'At or below this many free spaces (after the offset) the sign shows fullText' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9999)
  fullAt?: number;

  @TextField({ presence: 'optional', min: 0, max: COUNT_TEXT_MAX, pattern: COUNT_TEXT_PATTERN, hint: 'must be printable ASCII', doc: { example: 'FULL' } }) fullText?: string;
  @RuleField('Colour and blink while spaces are free') available?: LightRuleInput;
  @RuleField('Colour and blink at the threshold') full?: LightRuleInput;
  @RuleField('Colour and blink while the free count is not known') unknown?: LightRuleInput;
}

/** A policy layer: only what it names changes; the rest comes from the layer below. Replaced whole on PUT. */
export class SignagePolicyBody implements SignagePolicyLayer {
  @StatesField('The light per state for every space type') states?: StateRulesInput;
  @Each(
    ApiPropertyOptional({ type: TypeRulesInput, description: 'Per space type, states whose light differs (accessible or EV bays)' }),
    IsOptional(),
    IsObject({ message: '$property must be an object of space types, e.g. {"ev": {"free": {…}}}' }),
    ValidateNested(),
    Type(() => TypeRulesInput),
  )
  types?: TypeRulesInput;
  @Each(ApiPropertyOptional({ type: CountRuleInput, description: 'How count signs read' }), IsOptional(), IsObject({ message: '$property must be an object' }), ValidateNested(), Type(() => CountRuleInput))
  count?: CountRuleInput;
  @ExpectedVersion() version?: number;
}

export class PutPolicyRequest extends SignagePolicyBody {
  @UuidField({ presence: 'optional', doc: { description: "A site's policy; absent: the tenant's" } }) siteId?: string;
}
export class PolicyRef {
  @UuidField({ presence: 'optional', doc: { description: "A site's policy; absent: the tenant's" } }) siteId?: string;
}

class LightRuleView implements LightRule {
  @ApiProperty({ type: ColourView }) colour!: ColourView;
  @ApiProperty({ enum: BLINKS, example: 'steady' }) blink!: Blink;
}
class StateRulesView {
  @ApiProperty({ type: LightRuleView }) free!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) occupied!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) reserved!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) maintenance!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) unknown!: LightRuleView;
}
class CountRuleView implements CountRule {
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ example: 0 }) fullAt!: number;
  @ApiProperty({ example: 'FULL' }) fullText!: string;
  @ApiProperty({ type: LightRuleView }) available!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) full!: LightRuleView;
  @ApiProperty({ type: LightRuleView }) unknown!: LightRuleView;
}
export class EffectivePolicyView implements SignagePolicyRules {
  @ApiProperty({ type: StateRulesView }) states!: SignagePolicyRules['states'];
  @ApiProperty({ type: 'object', additionalProperties: true, example: { ev: { free: { colour: { red: 0, green: 0, blue: 255 }, blink: 'slow' } } }, description: `Per space type (${SPACE_TYPES.join(', ')}), the states whose light differs` })
  types!: SignagePolicyRules['types'];
  @ApiProperty({ type: CountRuleView }) count!: CountRule;
}

export class SignagePolicyView {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: "The site, or null for the tenant's policy" }) siteId!: string | null;
  @ApiProperty({ type: SignagePolicyBody, description: 'What this layer sets (empty when it has none)' }) rules!: SignagePolicyLayer;
  @ApiProperty({ type: EffectivePolicyView, description: 'The rules in force here: the default, under the tenant\'s layer, under the site\'s' }) effective!: SignagePolicyRules;
  @ApiProperty({ example: 1, description: '0 while the layer has never been set' }) version!: number;
}

/** A tenant's signage settings: what its network does, which the airtime is counted by. */
export class SignageSettingsBody {
  @Each(
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 6, nullable: true, example: 3, description: "The EU868 data rate (DR0–DR6) the tenant's ChirpStack sends class C frames at (its RX2 data rate); null: the platform's default" }),
    IsOptional(),
    ValidateIf((_object: unknown, value: unknown) => value !== null),
    IsInt(),
    Min(0),
    Max(6),
  )
  rx2DataRate?: number | null;
  @ExpectedVersion() version?: number;
}

export class SignageSettingsView {
  @ApiProperty({ example: 3, description: 'The data rate frames are counted at' }) rx2DataRate!: number;
  @ApiProperty({ enum: ['tenant', 'platform'], example: 'tenant', description: "Whether the tenant set it or it is the platform's default (SIGNAGE_RX2_DATA_RATE)" }) source!: 'tenant' | 'platform';
  @ApiProperty({ example: 1, description: '0 while never set' }) version!: number;
}
