import { BanBody, DiscussionBody, MessageBody, MuteBody } from '../../contract';
import { compileSchema } from '../../http/validation';

/** Validators of the discussion bodies; the schemas and types live in src/contract. */
export const validateDiscussion = compileSchema(DiscussionBody);
export const validateMessage = compileSchema(MessageBody);
export const validateBan = compileSchema(BanBody);
export const validateMute = compileSchema(MuteBody);
